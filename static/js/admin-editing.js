"use strict";
// The editors' admin: one switch for the language of every tab on the page; the next order number
// for new inline rows (by rank of their role: co-chairs first); no time-zone warning under fields
// that hold a date only.
{
    const $ = django.jQuery;

    // The language of entry ----------------------------------------------------------------------
    // django-modeltranslation puts each translated field's languages in jQuery UI tabs, and adds an
    // unlabelled select to the page's title that few find. This switch, labelled and in the form,
    // activates the chosen language's tab in every group, including rows added later.
    const KEY = "secretariat-entry-language";
    let entryLanguage = null;

    const tabIndex = (group, code) => {
        const anchors = Array.from(group.querySelectorAll(":scope > ul > li > a[href^='#tab_']"));
        return anchors.findIndex((anchor) => anchor.getAttribute("href").endsWith(`_${code}`));
    };

    const showLanguage = (code) => {
        entryLanguage = code;
        for (const group of document.querySelectorAll(".ui-tabs")) {
            const index = tabIndex(group, code);
            if (index >= 0 && $(group).tabs("option", "active") !== index) {
                $(group).tabs("option", "active", index);
            }
        }
        for (const button of document.querySelectorAll(".language-entry__choice")) {
            button.setAttribute("aria-pressed", button.dataset.language === code ? "true" : "false");
        }
        try {
            sessionStorage.setItem(KEY, code);
        } catch (error) {
            // Storage refused (private browsing): the choice holds for this page only.
        }
    };

    const setUpLanguageSwitch = () => {
        const entry = document.querySelector(".language-entry");
        if (!entry || !document.querySelector(".ui-tabs")) {
            return;  // no tabs: every language's field is on the page already
        }
        document.getElementById("modeltranslation-main-switch")?.remove();
        entry.hidden = false;
        for (const button of entry.querySelectorAll(".language-entry__choice")) {
            button.addEventListener("click", () => showLanguage(button.dataset.language));
        }
        let stored = null;
        try {
            stored = sessionStorage.getItem(KEY);
        } catch (error) {
            stored = null;
        }
        const codes = Array.from(entry.querySelectorAll(".language-entry__choice"), (button) => button.dataset.language);
        showLanguage(codes.includes(stored) ? stored : codes[0]);
    };

    // Tabs are built by modeltranslation when the page is ready, and for rows added later.
    $(() => window.setTimeout(setUpLanguageSwitch, 0));
    document.addEventListener("formset:added", () => {
        if (entryLanguage) {
            window.setTimeout(() => showLanguage(entryLanguage), 50);
        }
    });

    // The next order number for new rows -----------------------------------------------------------
    // A new row of an inline with an “order” column gets the next number; among the new rows not
    // numbered by hand, those whose role comes first in its list (co-chairs) come first.
    const rowNumber = (prefix) => new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d+)-order$`);

    const orderInputs = (prefix) => {
        const pattern = rowNumber(prefix);
        return Array.from(document.querySelectorAll("input[name$='-order']")).filter((input) => pattern.test(input.name));
    };

    const roleRank = (input) => {
        const role = document.querySelector(`select[name='${input.name.replace(/-order$/, "-role")}']`);
        return role ? role.selectedIndex : 0;
    };

    const numberNewRows = (prefix) => {
        const inputs = orderInputs(prefix);
        const automatic = inputs.filter((input) => input.dataset.autoOrder === "true");
        const fixed = inputs.filter((input) => input.dataset.autoOrder !== "true");
        let next = Math.max(0, ...fixed.map((input) => parseInt(input.value, 10) || 0));
        automatic
            .map((input, position) => ({input, position, rank: roleRank(input)}))
            .sort((a, b) => a.rank - b.rank || a.position - b.position)
            .forEach(({input}) => {
                next += 1;
                input.value = String(next);
            });
    };

    document.addEventListener("formset:added", (event) => {
        const prefix = event.detail && event.detail.formsetName;
        if (!prefix) {
            return;
        }
        const pattern = rowNumber(prefix);
        const input = Array.from(event.target.querySelectorAll("input[name$='-order']")).find((candidate) =>
            pattern.test(candidate.name),
        );
        if (!input) {
            return;
        }
        if (!input.value || input.value === "0") {
            input.dataset.autoOrder = "true";
        }
        input.addEventListener("input", () => {
            input.dataset.autoOrder = "false";  // numbered by hand: kept as typed
        });
        const role = event.target.querySelector(`select[name='${input.name.replace(/-order$/, "-role")}']`);
        role?.addEventListener("change", () => numberNewRows(prefix));
        numberNewRows(prefix);
    });

    // No time-zone warning under a date without a time -----------------------------------------------
    // Django's calendar warns under every date field when the browser's time zone differs from the
    // server's; a date alone (a meeting's day) does not move with time zones. A date-and-time keeps it.
    document.addEventListener("DOMContentLoaded", () => {
        const shortcuts = window.DateTimeShortcuts;
        if (!shortcuts || shortcuts.dateOnlyWithoutWarning) {
            return;
        }
        const warn = shortcuts.addTimezoneWarning;
        shortcuts.addTimezoneWarning = function (input) {
            if (input.classList.contains("vDateField") && !input.closest("p.datetime")) {
                return;
            }
            return warn.call(this, input);
        };
        shortcuts.dateOnlyWithoutWarning = true;
    });
}
