"""Reference and demo data of ocopfair, and their loaders."""
