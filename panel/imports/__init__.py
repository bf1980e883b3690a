"""Importing an existing panel from a spreadsheet (CSV): the format, validation, and the import."""
