"""Invitation texts: the default template in each of the six languages, and filling one for an entity.

Templates use ``{placeholders}`` rather than the Django template language: the secretariat edits them in the
admin, and a plain substitution can neither run code nor reach other data.
"""

from __future__ import annotations

import string
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

PLACEHOLDERS = ["entity", "consultation", "mandate", "closes", "link"]

DEFAULTS = {
    "en": (
        "Invitation: {consultation}",
        "Dear colleagues of {entity},\n\n"
        "Pursuant to {mandate}, you are invited to contribute to the open consultation “{consultation}”. Written "
        "contributions in any of the six official languages of the United Nations are welcome until {closes}.\n\n"
        "Your personal link opens the contribution form, already filled in with your organization's details:\n"
        "{link}\n\nWith our best regards,\nThe secretariat",
    ),
    "fr": (
        "Invitation : {consultation}",
        "Chers collègues de {entity},\n\n"
        "En application de {mandate}, vous êtes invités à contribuer à la consultation ouverte « {consultation} ». "
        "Les contributions écrites dans l'une des six langues officielles de l'Organisation des Nations Unies sont "
        "les bienvenues jusqu'au {closes}.\n\n"
        "Votre lien personnel ouvre le formulaire de contribution, déjà rempli avec les coordonnées de votre "
        "organisation :\n{link}\n\nVeuillez agréer nos salutations distinguées,\nLe secrétariat",
    ),
    "es": (
        "Invitación: {consultation}",
        "Estimados colegas de {entity}:\n\n"
        "De conformidad con {mandate}, se les invita a contribuir a la consulta abierta «{consultation}». Se "
        "aceptan contribuciones escritas en cualquiera de los seis idiomas oficiales de las Naciones Unidas hasta "
        "el {closes}.\n\n"
        "Su enlace personal abre el formulario de contribución, ya completado con los datos de su organización:\n"
        "{link}\n\nAtentamente,\nLa secretaría",
    ),
    "ru": (
        "Приглашение: {consultation}",
        "Уважаемые коллеги из {entity}!\n\n"
        "В соответствии с {mandate} приглашаем вас принять участие в открытых консультациях «{consultation}». "
        "Письменные материалы на любом из шести официальных языков Организации Объединенных Наций принимаются до "
        "{closes}.\n\n"
        "Ваша персональная ссылка открывает форму, уже заполненную данными вашей организации:\n"
        "{link}\n\nС уважением,\nСекретариат",
    ),
    "zh-hans": (
        "邀请：{consultation}",
        "{entity}的各位同事：\n\n"
        "根据{mandate}，诚邀贵方参加“{consultation}”公开磋商。欢迎在{closes}之前以联合国六种正式语文中的任何一种"
        "提交书面意见。\n\n"
        "您的个人链接将打开已预先填写贵组织信息的提交表格：\n{link}\n\n此致\n秘书处",
    ),
    "ar": (
        "دعوة: {consultation}",
        "الزملاء الأعزاء في {entity}،\n\n"
        "عملاً بـ{mandate}، ندعوكم إلى المساهمة في المشاورات المفتوحة «{consultation}». ونرحب بالمساهمات المكتوبة "
        "بأي من اللغات الرسمية الست للأمم المتحدة حتى {closes}.\n\n"
        "يفتح رابطكم الشخصي استمارة المساهمة وقد مُلئت ببيانات منظمتكم:\n{link}\n\nمع أطيب التحيات،\nالأمانة",
    ),
}


class _Keep(dict):
    """Unknown placeholders stay as they were typed."""

    def __missing__(self, key):
        return "{" + key + "}"


def check_placeholders(text: str) -> None:
    try:
        fields = [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise ValidationError(_("Unbalanced braces in the template: %s") % exc) from None
    unknown = sorted(set(fields) - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(unknown)s. Use %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join("{" + p + "}" for p in PLACEHOLDERS)}
        )


def fill(text: str, values: dict) -> str:
    return string.Formatter().vformat(text, (), _Keep(values))


def base_url() -> str:
    return getattr(settings, "CONCORD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def personal_link(invitation, token: str) -> str:
    """The invitation's personal link with its key ``token`` (made when the e-mail is sent; never stored)."""
    with translation.override(invitation.language):
        return base_url() + reverse("meetings:invitations:open", kwargs={"token": token})


def prefill_query(invitation) -> str:
    """The submission form's fields for this entity, as GET parameters (the form's own field names)."""
    entity = invitation.entity
    return urlencode(
        {
            "speaks_for": "organization",
            "organization_name": entity.name,
            "category": entity.category.slug,
            "group": entity.group.slug,
            "country": entity.country or "",
            "email": invitation.emails[0] if invitation.emails else "",
        }
    )


def render(invitation, token: str, template=None) -> tuple[str, str]:
    """Subject and body of one invitation, in its language (the consultation's template, else the default), with
    its personal link's key ``token``."""
    consultation = invitation.consultation
    subject, body = (template.subject, template.body) if template else DEFAULTS.get(invitation.language, DEFAULTS["en"])
    with translation.override(invitation.language):
        closes = formats.date_format(consultation.closes_at, "DATE_FORMAT")
    values = {
        "entity": invitation.entity.name,
        "consultation": consultation.title,
        "mandate": consultation.mandate_reference,
        "closes": closes,
        "link": personal_link(invitation, token),
    }
    return fill(subject, values).replace("\n", " ").strip(), fill(body, values)
