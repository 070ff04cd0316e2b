"""Who and what articles name: the gazetteer, the name matcher, names the gazetteer does not
know and their types, and the entity index (mentions, co-occurrence); extracted: each
document's entities and events, worked out at index time and stored with the index;
summing: those records summed up once per index; kept, pieces: that kept beside the index
and read a piece at a time. Above timeline/ (a record holds the events found with the
document's mentions), below the engine.
"""
