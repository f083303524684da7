from dangjian.core.tests.personas import personas  # noqa: F401 - one user per role, per module
