"""Where the CPU samples of a JFR recording go: per thread, top self frames, and inclusive shares of a few groups.

  jfr_top.py FILE.jfr [--top 8]      (needs `jfr` on PATH; prints Markdown lines)
"""
import argparse
import collections
import json
import subprocess

GROUPS = [
    ("bcrypt (Elytron)", ("org.wildfly.security.password", "io.quarkus.elytron.security.common.BcryptUtil")),
    ("AWS SDK (incl. its HTTP client)", ("software.amazon.awssdk",)),
    ("JSON (Jackson)", ("com.fasterxml.jackson",)),
    ("Lambda poll loop / event (de)serialisation", ("io.quarkus.amazon.lambda",)),
    ("Vert.x / Netty", ("io.vertx", "io.netty")),
    ("class loading / linking", ("java.lang.ClassLoader", "jdk.internal.loader", "io.quarkus.bootstrap.runner")),
    ("zip / jar reading", ("java.util.zip", "java.util.jar")),
    ("app code (com.example.shop.auth, not the bench)", ("com.example.shop.auth.account", "com.example.shop.auth.api",
                                                        "com.example.shop.auth.store", "com.example.shop.auth.token",
                                                        "com.example.shop.auth.mail", "com.example.shop.auth.Snap")),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample",
                          args.file], capture_output=True, text=True, check=True).stdout
    events = json.loads(raw)["recording"]["events"]
    threads = collections.Counter()
    self_frames = collections.Counter()
    groups = collections.Counter()
    for event in events:
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        threads[thread.split(" #")[0]] += 1
        frames = (values.get("stackTrace") or {}).get("frames") or []
        names = [f"{f['method']['type']['name']}.{f['method']['name']}".replace("/", ".") for f in frames]
        if names:
            self_frames[names[0]] += 1
        for label, prefixes in GROUPS:
            if any(n.startswith(prefixes) for n in names):
                groups[label] += 1
    total = sum(threads.values()) or 1
    print(f"  - {total} CPU samples (jdk.ExecutionSample). By thread: "
          + ", ".join(f"`{t}` {c * 100 // total}%" for t, c in threads.most_common(5)))
    print("  - inclusive: " + ", ".join(f"{label} {groups[label] * 100 / total:.0f}%" for label, _ in GROUPS
                                        if groups[label]))
    print("  - top self frames: " + ", ".join(f"`{n.rsplit('.', 2)[-2]}.{n.rsplit('.', 1)[-1]}` "
                                              f"{c * 100 / total:.0f}%" for n, c in self_frames.most_common(args.top)))


if __name__ == "__main__":
    main()
