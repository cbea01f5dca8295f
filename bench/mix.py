"""The load test's weighted mix of pages and API reads (bench/loadtest.py).

Every URL here has its query count pinned in tests/bench/test_mix_queries.py.
"""

# The weighted mix: the main pages and API reads; {forbund}, {idea}, {measure} are ids the
# account may see.
MIX = [
    ("/", 10),
    ("/forbund/{forbund}/behov/", 8),
    ("/projektideer/", 6),
    ("/projektideer/?step=running&step=completed&owner_kind=kommun", 4),
    ("/projektideer/{idea}/", 8),
    ("/forbund/{forbund}/?track=F", 4),
    ("/insatser/{measure}/", 4),
    ("/uppfoljning/", 4),
    ("/utlysningar/", 3),
    ("/moten/", 3),
    ("/api/v1/ideas?step=running", 6),
    ("/api/v1/ideas/{idea}", 4),
    ("/api/v1/needs", 4),
    ("/api/v1/measures", 3),
    ("/api/v1/followup", 3),
    ("/api/v1/followup/indicators", 2),
    ("/api/v1/followup/national", 1),
    ("/api/v1/meetings", 2),
]
