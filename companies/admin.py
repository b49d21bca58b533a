from django.contrib import admin

from .models import CompanyAccess


@admin.register(CompanyAccess)
class CompanyAccessAdmin(admin.ModelAdmin):
    """Limit a user to some companies (docs/domain.md reading R47): no row, every company."""

    list_display = ("user", "company")
    list_filter = ("company",)
    search_fields = ("user__username", "company__name")
