"""Forms of the core app: sign-in, and account management by administrators (`/pengguna/`)."""

import secrets

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.forms import TextInput
from django.utils.translation import gettext_lazy as _

from .models import Region, User

USERNAME_MAX_LENGTH = get_user_model()._meta.get_field("username").max_length


class LoginForm(AuthenticationForm):
    """Django's sign-in form with the username's length enforced: `AuthenticationForm` only sets the
    widget's `maxlength` after construction (no validator), so any length reached `authenticate()`
    and django-axes, whose record of it then failed with a 500."""

    username = UsernameField(max_length=USERNAME_MAX_LENGTH, widget=TextInput(attrs={"autofocus": True}))


# No look-alike characters (0/O, 1/l/I): a generated password is read out or copied by hand.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generate_password() -> str:
    """Four groups of five characters (about 98 bits), e.g. `k7pqx-2mf9h-trc4w-nbd3e`."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(5)) for _ in range(4))


def account_regions():
    """Regions an account can belong to: provinces, regencies and cities (see ROLE_REGION_LEVELS)."""
    return Region.objects.filter(
        level__in=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY]
    ).order_by("code")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class AccountForm(forms.Form):
    """Name, e-mail, role and region: what an administrator may change on an account."""

    first_name = forms.CharField(label=_("Nama depan"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=User.Role.choices)
    region = RegionChoiceField(
        label=_("Wilayah"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("— tanpa wilayah (hanya administrator) —"),
        help_text=_(
            "Sekretariat Provinsi: provinsi. Sekretariat Kabupaten/Kota: kabupaten atau kota. "
            "Pimpinan dan Anggota: provinsi, kabupaten atau kota."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = account_regions()


class PasswordChoiceMixin(forms.Form):
    """Either the administrator types a password (twice) or one is generated and shown once."""

    GENERATE, TYPE = "generate", "type"
    password_mode = forms.ChoiceField(
        label=_("Kata sandi"),
        choices=[(GENERATE, _("Buat kata sandi acak (ditampilkan sekali)")), (TYPE, _("Ketik kata sandi"))],
        initial=GENERATE,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(
        label=_("Kata sandi baru"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Paling sedikit 8 karakter; kalimat sandi yang panjang boleh. Jangan kata sandi umum."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password_mode") == self.TYPE:
            if not data.get("password1"):
                self.add_error("password1", _("Ketik kata sandi baru."))
            elif data.get("password1") != data.get("password2"):
                self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data

    def chosen_password(self) -> tuple[str, bool]:
        """(password, generated?) after validation."""
        if self.cleaned_data["password_mode"] == self.TYPE:
            return self.cleaned_data["password1"], False
        return generate_password(), True


class AccountCreateForm(PasswordChoiceMixin, AccountForm):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Huruf, angka dan @ . + - _ saja."),
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "region", "password_mode"]


class PasswordResetForm(PasswordChoiceMixin):
    pass
