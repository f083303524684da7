"""智慧党建引领基层治理平台 — smart party-building and grassroots-governance platform."""
