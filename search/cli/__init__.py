"""The command line: `vnexplore search|show|related|index` (main) and `entities|entity|timeline|
partners` (entities), with their Rich rendering; common: what both share (console, JSON,
opening the engine). The only part of search/ that imports Rich.
"""
