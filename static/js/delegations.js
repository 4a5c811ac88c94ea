"use strict";
// People and organizations are offered from the side being filled in first: a delegation's party
// (for its organizations and its members), a signatory's party. The autocomplete asks with
// ?prefer_party=<id>; the results come back with each record's party (dialogue.admin.SideChoiceMixin).
{
    const $ = django.jQuery;

    // The party select of the row or form that holds ``element``: “delegations-0-members-1-person” looks
    // at “delegations-0-members-1-party”, then “delegations-0-party”, then the page's own “party”.
    const partyOf = (element) => {
        const parts = element.name.split("-");
        for (let end = parts.length - 1; end >= 0; end -= 2) {
            const name = end > 0 ? `${parts.slice(0, end).join("-")}-party` : "party";
            const party = document.querySelector(`select[name='${name}']`);
            if (party && party.value) {
                return party.value;
            }
        }
        return "";
    };

    const withParty = function () {
        $.each(this, function (i, element) {
            if ($(element).hasClass("select2-hidden-accessible")) {
                $(element).select2("destroy");  // set up before this file: again, with the party
            }
            $(element).select2({
                ajax: {
                    data: (params) => ({
                        term: params.term,
                        page: params.page,
                        app_label: element.dataset.appLabel,
                        model_name: element.dataset.modelName,
                        field_name: element.dataset.fieldName,
                        prefer_party: partyOf(element),
                    }),
                },
            });
        });
        return this;
    };

    // Django's autocomplete.js defines djangoAdminSelect2 and calls it when the page is ready and for
    // each row added: this replaces it before it is first called (and sets up again any it reached).
    $(() => {
        if ($.fn.djangoAdminSelect2 && $.fn.djangoAdminSelect2 !== withParty) {
            $.fn.djangoAdminSelect2 = withParty;
            $(".admin-autocomplete.select2-hidden-accessible").not("[name*=__prefix__]").djangoAdminSelect2();
        }
    });
}
