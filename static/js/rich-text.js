"use strict";
// The rich-text editor's toolbar in the admin's language. django-prose-editor writes its tooltips
// (title and aria-label) and the options of its paragraph-style menu in English; the widget gives
// their translations in data-toolbar-labels. The editable area gets the field's label as its name.
{
    const relabel = (editor) => {
        const source = editor.querySelector("textarea[data-toolbar-labels]");
        if (!source) {
            return;
        }
        const labels = JSON.parse(source.dataset.toolbarLabels);
        for (const element of editor.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]")) {
            for (const attribute of ["title", "aria-label"]) {
                const value = element.getAttribute(attribute);
                if (value && Object.hasOwn(labels, value)) {
                    element.setAttribute(attribute, labels[value]);
                }
            }
        }
        // The editable area is named by the field's label, as the textarea it stands for was.
        const content = editor.querySelector(".ProseMirror[contenteditable]");
        const label = source.id ? document.querySelector(`label[for='${source.id}']`) : null;
        if (content && label && !content.hasAttribute("aria-labelledby")) {
            label.id = label.id || `${source.id}_label`;
            content.setAttribute("aria-labelledby", label.id);
        }
        for (const option of editor.querySelectorAll(".prose-menubar__option > *")) {
            if (Object.hasOwn(labels, option.textContent)) {
                option.textContent = labels[option.textContent];
            }
        }
    };

    const editorsIn = (node) => {
        if (!(node instanceof Element)) {
            return [];
        }
        const around = node.closest(".prose-editor");
        return around ? [around] : Array.from(node.querySelectorAll(".prose-editor"));
    };

    // A tool that cannot be used now (a link with nothing selected) is greyed out by a class only:
    // say so to assistive technology too, as a disabled control (which needs no contrast, WCAG 1.4.3).
    const markUnavailable = (button) => {
        if (button.classList.contains("disabled") && !button.classList.contains("active")) {
            button.setAttribute("aria-disabled", "true");
        } else {
            button.removeAttribute("aria-disabled");
        }
    };

    // Editors are built after the page loads, and again for each inline row added: follow them,
    // and their tools as they become available or not.
    new MutationObserver((mutations) => {
        const editors = new Set();
        for (const mutation of mutations) {
            if (mutation.type === "attributes") {
                if (mutation.target.classList.contains("prose-menubar__button")) {
                    markUnavailable(mutation.target);
                }
                continue;
            }
            for (const node of mutation.addedNodes) {
                editorsIn(node).forEach((editor) => editors.add(editor));
            }
        }
        editors.forEach((editor) => {
            relabel(editor);
            editor.querySelectorAll(".prose-menubar__button").forEach(markUnavailable);
        });
    }).observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ["class"]});
}
