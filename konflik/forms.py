from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.forms import TextInput

USERNAME_MAX_LENGTH = get_user_model()._meta.get_field("username").max_length


class LoginForm(AuthenticationForm):
    """Django's sign-in form with the username's length enforced: `AuthenticationForm` only sets the
    widget's `maxlength` after construction (no validator), so any length reached `authenticate()`
    and django-axes, whose record of it then failed with a 500."""

    username = UsernameField(max_length=USERNAME_MAX_LENGTH, widget=TextInput(attrs={"autofocus": True}))
