"""Who and what articles name: the gazetteer, the name matcher, names the gazetteer does not
know and their types, and the entity index (mentions, co-occurrence).
"""
