"""Reading postings in bulk and scoring with Whoosh's own formulas: bulk (postings through
the codec's bulk interface), bm25 (the formula), counting, evaluate, pruned, top.
Imports go one way: top -> evaluate -> pruned -> counting -> bulk.
"""
