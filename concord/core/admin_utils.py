"""Shared admin plumbing: admin writes go through the apps' service functions, like every other write."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: rows that services, workers or the audit log write."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline:
    """An inline that lists related rows without adding, changing or deleting them."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves call ``create`` / ``update`` service wrappers instead of ``obj.save()``.

    Subclasses implement ``service_create(request, form) -> obj`` and
    ``service_update(request, obj, changes, form) -> obj``; ``changes`` holds only the fields the form changed,
    so the audit diff is exact.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # A service refused the change (the admin's own transaction rolled it back). Show the same form again,
            # with the user's input and the service's reason, instead of a server error.
            request.service_error = exc
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "service_error", None)
        if error is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                self.add_error(None, error.messages)
                return cleaned

        return RefusedForm

    def service_create(self, request, form):
        raise NotImplementedError

    def service_update(self, request, obj, changes: dict, form):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            fresh = type(obj).objects.get(pk=obj.pk)
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
            saved = self.service_update(request, fresh, changes, form)
        else:
            saved = self.service_create(request, form)
        # The admin goes on with `obj` (messages, redirects, log entries): give it the saved row's state.
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def save_related(self, request, form, formsets, change):
        # Related rows are written by the services; nothing is saved behind their back.
        pass

    def has_delete_permission(self, request, obj=None):
        # Records are withdrawn or corrected through services, never deleted from the admin.
        return False


def run_service_action(modeladmin, request, queryset, func, done_message: str) -> None:
    """Apply a service function to each selected object; report each refusal instead of failing the batch."""
    done = 0
    for obj in queryset:
        try:
            func(request.user, obj)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
