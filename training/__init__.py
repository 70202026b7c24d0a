"""RoleGen Workbench training package (Python is used only to train and export models)."""
