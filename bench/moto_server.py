"""tools/local_aws.py for the benchmark, with one difference: when Python's garbage collector walks moto's heap.

moto's heap grows through a per-route run (it keeps most of what its requests allocate: about 12 million objects and
1.6 GB after one per-route phase), and with the collector's defaults every full collection walks all of it again.
Seen on 2 busy cores: full collections growing from 0.1 s to 3.2 s, each stalling the request in flight past the
functions' 1.5 s SDK attempt timeout; the retried reset transaction then answered 500 and stopped the run. So here
the automatic full collections are off, and every COLLECT_EVERY requests, before handling one, a full collection runs
and freezes what survives it (gc.freeze): later collections walk only what was allocated since, and pauses stay
around 0.1-0.2 s. Same arguments, output and lifetime as tools/local_aws.py; bench/lambda_rie.py starts it.
"""
import gc
import itertools
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
import local_aws  # noqa: E402

COLLECT_EVERY = 100
_requests = itertools.count(1)
_serve = local_aws.SerialisedApp.__call__


def _serve_collecting(self, environ, start_response):
    if next(_requests) % COLLECT_EVERY == 0:
        gc.collect()
        gc.freeze()
    return _serve(self, environ, start_response)


if __name__ == "__main__":
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000)  # no automatic full collection: the one above instead
    local_aws.SerialisedApp.__call__ = _serve_collecting
    code = local_aws.main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # as tools/local_aws.py: no interpreter finalisation
