"""Pure accounting and tax rules for the rights: no Django, no database (docs/domain.md §7)."""
