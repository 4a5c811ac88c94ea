"""Read an admin form as a browser would submit it, to post it back with changes."""

from bs4 import BeautifulSoup


def form_data(response, form_selector="form[method=post]") -> dict:
    """The values a browser would submit from the page's form, untouched."""
    page = BeautifulSoup(response.content, "html.parser")
    form = page.select_one(form_selector)
    data: dict = {}
    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name or "__prefix__" in name or field.get("type") in {"submit", "button", "file"}:
            continue
        if field.name == "select":
            values = [option.get("value", "") for option in field.select("option[selected]")]
            if field.has_attr("multiple"):
                data[name] = values
            else:
                data[name] = values[0] if values else ""
        elif field.name == "textarea":
            data[name] = field.text
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data
