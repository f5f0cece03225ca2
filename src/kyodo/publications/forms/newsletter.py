"""Input of the newsletter: starting an issue, the one-page editor (the issue, its articles
and its notices) and the public list's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from kyodo.core.forms import RowForm, RowFormSet, form_errors, model_fields, row_formset
from kyodo.directory.models import Organisation
from kyodo.publications.models import (
    OBITUARY_FIELDS,
    Article,
    NewsletterIssue,
    Notice,
    NoticeKind,
)
from kyodo.publications.services.newsletter import (
    ARTICLE_FIELDS,
    CONSENT_FIELDS,
    IMAGE_EXTENSIONS,
    ISSUE_FIELDS,
    NOTICE_FIELDS,
    obituary_web_days,
)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
NOT_AN_IMAGE = (
    "写真・図として読み取れないファイルです。JPEG・PNG・GIF・WebP の画像を選んでください"
    "(拡張子だけを変えたファイルや、壊れた画像は受け付けません)。"
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class CouncilField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class IssueCreateForm(forms.Form):
    council = CouncilField(queryset=Organisation.objects.none(), label="協議会", empty_label=None)
    name = forms.CharField(
        label="紙名",
        max_length=100,
        required=False,
        help_text="空欄なら前の号と同じ紙名(初めての号は「協議会名だより」)",
    )
    number = forms.IntegerField(
        label="号", min_value=1, required=False, help_text="空欄なら前の号の次の番号"
    )
    issue_date = forms.DateField(label="発行日", widget=DateInput())

    def __init__(self, *args: Any, councils: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["council"]
        assert isinstance(field, CouncilField)
        field.queryset = Organisation.objects.filter(pk__in=[c.pk for c in councils])
        field.choices = [(c.pk, c.name) for c in councils]


@model_fields(
    NewsletterIssue,
    ISSUE_FIELDS,
    widgets={"issue_date": DateInput(), "editor_note": forms.Textarea(attrs={"rows": 3})},
)
class IssueForm(forms.Form):
    pass


@model_fields(
    Article,
    ARTICLE_FIELDS,
    widgets={"body": forms.Textarea(attrs={"rows": 6})},
    help_texts={
        "image_alt": "写真を載せるときは必須。写真が見えない人に内容が伝わるように書きます"
        "(例: 公民館の前で餅つきをする子どもたち)",
    },
)
class ArticleForm(RowForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    image = forms.ImageField(
        label="写真・図",
        required=False,
        help_text=f"JPEG・PNG・GIF・WebP、{filesizeformat(MAX_IMAGE_BYTES)}まで",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        error_messages={"invalid_image": NOT_AN_IMAGE, "empty": "ファイルが空です。"},
    )
    remove_image = forms.BooleanField(label="今の写真を外す", required=False)

    def clean_image(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("image")
        if not upload:
            return None
        if (upload.size or 0) > MAX_IMAGE_BYTES:
            raise ValidationError(
                f"写真のファイルが大きすぎます({filesizeformat(upload.size or 0)})。"
                f"{filesizeformat(MAX_IMAGE_BYTES)}以下にしてください。"
            )
        image = getattr(upload, "image", None)
        if getattr(image, "format", None) not in IMAGE_EXTENSIONS:
            raise ValidationError(NOT_AN_IMAGE)
        return upload


@model_fields(
    Notice,
    tuple(name for name in (*NOTICE_FIELDS, *CONSENT_FIELDS) if name != "consent_fields"),
    widgets={
        "body": forms.Textarea(attrs={"rows": 4}),
        "funeral": forms.Textarea(attrs={"rows": 2}),
        "died_on": DateInput(),
        "consent_on": DateInput(),
        "web_until": DateInput(),
    },
    help_texts={
        "title": "訃報では空欄で構いません(「訃報」と表示します)",
        "body": "訃報には入れません。訃報の内容は下の訃報の項目に入力します",
    },
)
class NoticeForm(RowForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organisation = forms.TypedChoiceField(
        label="お知らせ元", coerce=int, required=False, empty_value=None
    )
    consent_fields = forms.MultipleChoiceField(
        label="掲載に同意された項目",
        choices=list(OBITUARY_FIELDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="チェックした項目だけがウェブと紙面に載ります。"
        "チェックしていない項目には入力できません。",
    )

    def __init__(
        self, *args: Any, organisations: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        kind.choices = [("", "選択してください"), *NoticeKind.choices]
        organisation: Any = self.fields["organisation"]
        organisation.choices = [("", "なし"), *(organisations or [])]
        self.fields["title"].required = False
        self.fields["web_until"].help_text = (
            f"空欄なら発行日の{obituary_web_days()}日後まで。"
            "この日を過ぎるとウェブのページから外れます"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data.get("kind") != NoticeKind.OBITUARY:
            # The obituary's part of the row is hidden for other kinds; what was left in it
            # is not kept.
            for name in (*OBITUARY_FIELDS, *CONSENT_FIELDS):
                data[name] = [] if name == "consent_fields" else self.fields[name].to_python("")
            if not (data.get("title") or "").strip() and "title" not in self.errors:
                self.add_error("title", "見出しを入力してください。")
        return data


ARTICLES = row_formset(ArticleForm, "記事", extra=1, order=True)
NOTICES = row_formset(NoticeForm, "お知らせ", extra=1, order=True)


def article_initial(article: Article) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    initial.update(id=article.pk, has_image=bool(article.image))
    return initial


def notice_initial(notice: Notice) -> dict[str, Any]:
    names = (*NOTICE_FIELDS, *CONSENT_FIELDS)
    initial: dict[str, Any] = {name: getattr(notice, name) for name in names}
    initial.update(id=notice.pk, organisation=notice.organisation_id)
    return initial


class NewsletterEditor:
    """The whole issue on one page: its own fields, a formset of articles and one of notices.

    :meth:`rows` turns valid input into what :func:`services.newsletter_issue_save` takes;
    :meth:`add_service_errors` puts that service's errors (keyed by paths such as
    ``notices[1].consent_on``) back on the rows they concern."""

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        issue: NewsletterIssue,
        organisations: list[tuple[int, str]],
    ) -> None:
        self.issue = IssueForm(
            data, initial={name: getattr(issue, name) for name in ISSUE_FIELDS}, prefix="issue"
        )
        self.formsets: dict[str, RowFormSet] = {
            "articles": ARTICLES(
                data,
                files,
                prefix="articles",
                initial=_numbered([article_initial(a) for a in issue.articles.all()]),
            ),
            "notices": NOTICES(
                data,
                prefix="notices",
                initial=_numbered([notice_initial(n) for n in issue.notices.all()]),
                form_kwargs={"organisations": organisations},
            ),
        }
        self.general_errors: list[str] = []
        self._rows: dict[str, list[RowForm]] = {}

    def __iter__(self) -> Any:
        return iter(self.formsets.items())

    def is_valid(self) -> bool:
        valid = self.issue.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        return valid

    def values(self) -> dict[str, Any]:
        return dict(self.issue.cleaned_data)

    def rows(self, name: str) -> list[dict[str, Any]]:
        self._rows[name] = self.formsets[name].rows()
        return [form.row() for form in self._rows[name]]

    def add_service_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            for message in messages:
                self._add_error(key, message)

    def _add_error(self, key: str, message: str) -> None:
        section, _, rest = key.partition("[")
        if section in self._rows and rest:
            index, _, field = rest.partition("]")
            field = field.removeprefix(".")
            forms_ = self._rows[section]
            if index.isdigit() and int(index) < len(forms_):
                form = forms_[int(index)]
                form.add_error(field if field in form.fields else None, message)
                return
        if key in self.issue.fields:
            self.issue.add_error(key, message)
        else:
            self.general_errors.append(message)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(where, message, id of the control) for every error, in page order."""
        summary: list[tuple[str, str, str]] = [("", message, "") for message in self.general_errors]
        summary += form_errors(self.issue, "")
        for name, formset in self.formsets.items():
            summary += [
                (formset.title, str(m), f"section-{name}") for m in formset.non_form_errors()
            ]
            for index, form in enumerate(formset.forms, start=1):
                anchor = f"{name}-row-{index}"
                summary += [
                    (where, message, target or anchor)
                    for where, message, target in form_errors(form, f"{formset.title} {index}")
                ]
        return summary


def _numbered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "ORDER": index} for index, row in enumerate(rows, start=1)]


class ListFilterForm(forms.Form):
    council = CouncilField(
        queryset=Organisation.objects.all(),
        required=False,
        label="協議会",
        empty_label="すべて",
        error_messages={"invalid_choice": "指定した協議会の協議会だよりはありません。"},
    )

    def __init__(self, *args: Any, councils: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["council"]
        assert isinstance(field, CouncilField)
        field.queryset = Organisation.objects.filter(pk__in=[c.pk for c in councils])
        field.choices = [("", "すべて"), *((c.pk, c.name) for c in councils)]
