"""Piccolo's configuration: the engine comes from the panel's settings."""

from piccolo.conf.apps import AppRegistry

from panel.db import create_engine
from panel.settings import load_settings

DB = create_engine(load_settings())

APP_REGISTRY = AppRegistry(apps=["panel.piccolo_app"])
