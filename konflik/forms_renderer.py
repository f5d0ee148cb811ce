"""One way to render a form field, whatever the template calls (`{{ form }}`, `form.as_div`,
`field.as_field_group`): the project's template engine (TEMPLATES) with the project's field and form
templates under templates/konflik/forms/."""

from django.forms.renderers import TemplatesSetting


class KonflikFormRenderer(TemplatesSetting):
    form_template_name = "konflik/forms/form.html"
    field_template_name = "konflik/forms/field.html"
