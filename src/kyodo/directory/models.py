"""The network's directory: organisations in one tree, people, their memberships, networks."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.core.codes import validate_lgcode

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. What the person may do follows from their memberships (see rules.py)."""

    email = models.EmailField(_("メールアドレス"), unique=True)
    name = models.CharField(_("氏名"), max_length=100)
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(_("管理画面を使える"), default=False)
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self) -> str:
        return self.name or self.email


class OrganisationKind(models.TextChoices):
    PREFECTURE = "prefecture", _("都道府県")
    REGIONAL_OFFICE = "regional_office", _("地域振興局・支庁")
    CENTRE = "centre", _("センター")
    MUNICIPALITY = "municipality", _("市町村")
    DEPARTMENT = "department", _("担当課")
    COMMUNITY_COUNCIL = "community_council", _("コミュニティ協議会")
    NEIGHBOURHOOD_ASSOCIATION = "neighbourhood_association", _("自治会・町内会")
    NPO = "npo", _("NPO")
    OTHER = "other", _("その他")


GOVERNMENT_KINDS = frozenset(
    {
        OrganisationKind.PREFECTURE,
        OrganisationKind.REGIONAL_OFFICE,
        OrganisationKind.CENTRE,
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.DEPARTMENT,
    }
)


class MunicipalityType(models.TextChoices):
    CITY = "市", _("市")
    TOWN = "町", _("町")
    VILLAGE = "村", _("村")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def municipalities(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.MUNICIPALITY)

    def government(self) -> OrganisationQuerySet:
        return self.filter(kind__in=GOVERNMENT_KINDS)


class Organisation(models.Model):
    """Any body in the tree: prefecture → office/centre/department, municipality → department,
    municipality → community council → neighbourhood association; NPOs hang under their area."""

    kind = models.CharField(_("種別"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    kana = models.CharField(_("よみがな"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上位組織"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    lgcode = models.CharField(
        _("地方公共団体コード"),
        max_length=6,
        blank=True,
        validators=[validate_lgcode],
        help_text=_("都道府県・市町村のみ。検査数字を含む6桁(例: 462012)。"),
    )
    municipality_type = models.CharField(
        _("市町村の別"), max_length=1, choices=MunicipalityType.choices, blank=True
    )
    district = models.CharField(_("郡"), max_length=50, blank=True)
    regional_office = models.ForeignKey(
        "self",
        verbose_name=_("所管の地域振興局・支庁"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covered_organisations",
        limit_choices_to={"kind": OrganisationKind.REGIONAL_OFFICE},
    )
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    fax = models.CharField(_("ファクス番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    description = models.TextField(_("紹介"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now, editable=False)

    objects = OrganisationQuerySet.as_manager()

    if TYPE_CHECKING:
        children: RelatedManager[Organisation]
        memberships: RelatedManager[Membership]

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        ordering = ("kind", "lgcode", "kana", "name")
        constraints = (
            models.UniqueConstraint(
                fields=("lgcode",), condition=~Q(lgcode=""), name="organisation_lgcode_unique"
            ),
            models.CheckConstraint(
                condition=Q(lgcode="")
                | Q(kind__in=[OrganisationKind.PREFECTURE, OrganisationKind.MUNICIPALITY]),
                name="organisation_lgcode_only_for_local_governments",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="organisation_not_own_parent"
            ),
        )

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", kwargs={"pk": self.pk})

    @property
    def code5(self) -> str:
        return self.lgcode[:5]


class Person(models.Model):
    """Someone the network knows: a member's contact, an officer, or an external lecturer."""

    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50, blank=True)
    family_kana = models.CharField(_("姓(よみがな)"), max_length=50, blank=True)
    given_kana = models.CharField(_("名(よみがな)"), max_length=50, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("ログイン"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    if TYPE_CHECKING:
        memberships: RelatedManager[Membership]

    class Meta:
        verbose_name = _("人")
        verbose_name_plural = _("人")
        ordering = ("family_kana", "given_kana", "family_name")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()


class MembershipRole(models.TextChoices):
    """What a membership lets a person do; the title (職名) is free text beside it."""

    MEMBER = "member", _("構成員")
    STAFF = "staff", _("職員")
    CONTACT = "contact", _("担当者")
    OFFICER = "officer", _("役員")


EDITING_ROLES = frozenset({MembershipRole.STAFF, MembershipRole.CONTACT, MembershipRole.OFFICER})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class Membership(models.Model):
    """A person's place in an organisation for a term. Association officers often serve short
    rotating terms (輪番制), so a term has dates and past terms are kept, not overwritten."""

    person = models.ForeignKey(
        Person, verbose_name=_("人"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("組織"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("役割"), max_length=16, choices=MembershipRole.choices)
    title = models.CharField(_("職名・役職"), max_length=100, blank=True)
    is_public_contact = models.BooleanField(
        _("公開の連絡先"),
        default=False,
        help_text=_("組織のページに氏名と職名を公開する。"),
    )
    starts_on = models.DateField(_("任期の開始"), null=True, blank=True)
    ends_on = models.DateField(_("任期の終了"), null=True, blank=True)
    rotation_note = models.CharField(
        _("選任の方法"), max_length=100, blank=True, help_text=_("例: 輪番制(1年)")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        ordering = ("organisation", "role", "person")
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="membership_term_ends_after_start",
                violation_error_message="任期の終了は開始より後の日にしてください。",
            ),
        )

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation} {self.title})"


class Network(models.Model):
    """A network of member organisations, such as the prefecture-wide municipal network.
    Several can coexist (a regional office may run its own)."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(_("略称"), max_length=100, blank=True)
    slug = models.SlugField(_("URL名"), unique=True)
    description = models.TextField(_("概要"), blank=True)
    purpose = models.TextField(_("目的"), blank=True)
    activities = models.TextField(_("主な活動"), blank=True)
    founded_on = models.DateField(_("設置年月日"), null=True, blank=True)
    founded_precision = models.CharField(
        _("設置日の精度"),
        max_length=5,
        choices=[("day", _("日")), ("month", _("月")), ("year", _("年"))],
        default="day",
    )
    secretariat = models.ForeignKey(
        Organisation,
        verbose_name=_("事務局"),
        on_delete=models.PROTECT,
        related_name="secretariat_of",
    )
    members = models.ManyToManyField(
        Organisation, through="NetworkMembership", related_name="networks", verbose_name=_("会員")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ネットワーク")
        verbose_name_plural = _("ネットワーク")
        ordering = ("founded_on", "name")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:network", kwargs={"slug": self.slug})


class NetworkMembershipQuerySet(models.QuerySet["NetworkMembership"]):
    def current(self, on: datetime.date | None = None) -> NetworkMembershipQuerySet:
        """Memberships not yet ended ``on`` (today): no leaving date, or one still to come."""
        day = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gte=day))


class NetworkMembership(models.Model):
    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("ネットワーク"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="network_memberships",
        verbose_name=_("会員組織"),
    )
    joined_on = models.DateField(_("入会日"), null=True, blank=True)
    left_on = models.DateField(_("退会日"), null=True, blank=True)

    objects = NetworkMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("会員")
        verbose_name_plural = _("会員")
        constraints = (
            models.UniqueConstraint(
                fields=("network", "organisation"), name="network_membership_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.network} / {self.organisation}"
