#!/usr/bin/env python3
"""Checks what Quarkus generated for a native build, without GraalVM (stdlib only).

Called by tools/check-native.sh after `./mvnw package -Dquarkus.native.enabled=true` ran in a copy of
the project. It

  1. tells the expected end of that build (Quarkus ran every build step and stopped at the call of
     `native-image`, which here is a stub that records its arguments, or is missing) apart from any other
     failure, which fails the check;
  2. reads target/*-native-image-source-jar/ (runner jar with META-INF/native-image/*.json, lib/, the
     recorded native-image arguments) and asserts, with expectations derived from the Java sources:
       - every type the API (de)serialises with Jackson is registered for reflection with its
         constructors, methods and fields: every record declared in a package holding JAX-RS resources,
         every project type in a resource method signature (generic arguments included), every project
         type handed to Response...entity(...), and, transitively, the project types of their record
         components;
       - the JAX-RS resources are in the runner jar and registered; every @ServerExceptionMapper method
         has its generated mapper class registered;
       - every file under src/main/resources (and every resource the code loads by name) is included in
         the image by resource-config.json;
       - the AWS SDK will use the URLConnection HTTP client: url-connection-client in lib/, no apache /
         netty-nio / crt SDK client, UrlConnectionSdkHttpService registered, every Quarkiverse client
         configured (or defaulted) to `url`;
       - the Lambda HTTP handler and the API Gateway v2 event types are registered;
       - bcrypt (Elytron) password factory registered when BcryptUtil is used;
       - the native-image command line (when recorded) enables https URLs, --no-fallback, the Quarkus
         feature and the runner jar.

Exit status: 0 all checks pass, 1 a check failed, 2 the build failed in an unexpected way.
"""

import argparse
import fnmatch
import json
import re
import sys
import zipfile
from pathlib import Path

STUB_EXIT_CODE = 86
HTTP_METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}
NON_BODY_PARAM_ANNOTATIONS = {
    "Context", "PathParam", "QueryParam", "HeaderParam", "CookieParam", "FormParam", "MatrixParam",
    "BeanParam", "RestPath", "RestQuery", "RestHeader", "RestCookie", "RestForm", "RestMatrix",
}
DECL_KEYWORDS = {"class", "interface", "enum", "record"}
SDK_CLIENTS_FORBIDDEN = ("software.amazon.awssdk.apache-client", "software.amazon.awssdk.apache5-client",
                         "software.amazon.awssdk.netty-nio-client", "software.amazon.awssdk.aws-crt-client",
                         "software.amazon.awssdk.crt.aws-crt")
QUARKIVERSE_NON_SERVICE = {"common", "common-spi", "apache-client-internal", "netty-client-internal",
                           "crt-client-internal", "opentelemetry-internal", "devservices"}
LAMBDA_TYPES = ("io.quarkus.amazon.lambda.http.LambdaHttpHandler",
                "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent",
                "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent$RequestContext",
                "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse")


class Report:
    def __init__(self):
        self.failures = 0

    def ok(self, what):
        print(f"[ok]   {what}")

    def fail(self, what):
        self.failures += 1
        print(f"[FAIL] {what}")

    def check(self, cond, what):
        (self.ok if cond else self.fail)(what)
        return cond

    def info(self, what):
        print(f"       {what}")


# ---------------------------------------------------------------------------------------------- Java sources

def strip_java(text):
    """Removes comments and the content of string/char literals and text blocks (keeps the quotes)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            out.append(" ")
            i = n if j < 0 else j + 2
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3)
            out.append('""')
            i = n if j < 0 else j + 3
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


TOKEN_RE = re.compile(r"[A-Za-z_$][\w$]*|\d[\w.]*|\.\.\.|\"\"|''|\S")


class JavaType:
    def __init__(self, binary, kind, source):
        self.binary = binary            # com.x.Outer$Inner
        self.kind = kind                # class / interface / enum / record
        self.source = source            # JavaFile
        self.annotations = set()        # simple names
        self.components = []            # record components: list of token lists (the type part)
        self.methods = []               # (annotation names, return type tokens, name, [(param annotations, type tokens)])
        self.outer_chain = []           # binary names of this type and its enclosing types, innermost first

    @property
    def canonical(self):
        return self.binary.replace("$", ".")


class JavaFile:
    def __init__(self, path, text):
        self.path = path
        raw = text
        self.text = strip_java(text)
        m = re.search(r"^\s*package\s+([\w.]+)\s*;", self.text, re.M)
        self.package = m.group(1) if m else ""
        self.imports = {}
        self.wildcards = []
        for m in re.finditer(r"^\s*import\s+(static\s+)?([\w.]+)(\.\*)?\s*;", self.text, re.M):
            if m.group(1):
                continue
            if m.group(3):
                self.wildcards.append(m.group(2))
            else:
                self.imports[m.group(2).rsplit(".", 1)[-1]] = m.group(2)
        # string constants, for resources loaded through a constant (e.g. RESOURCE = "common-passwords.txt")
        self.string_constants = dict(re.findall(r"\b(\w+)\s*=\s*\"([^\"\n]*)\"\s*;", raw))
        self.raw = raw
        self.types = []


def parse_annotation(tokens, i):
    """tokens[i] == '@'; returns (simple name, index after the annotation)."""
    j = i + 1
    name = tokens[j]
    j += 1
    while j + 1 < len(tokens) and tokens[j] == "." and re.match(r"[A-Za-z_$]", tokens[j + 1]):
        name = tokens[j + 1]
        j += 2
    if j < len(tokens) and tokens[j] == "(":
        j = match(tokens, j, "(", ")") + 1
    return name, j


def match(tokens, i, open_, close):
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j] == open_:
            depth += 1
        elif tokens[j] == close:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def split_top(tokens, sep=","):
    parts, cur, depth = [], [], 0
    for t in tokens:
        if t in "(<[{":
            depth += 1
        elif t in ")>]}":
            depth -= 1
        if t == sep and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        parts.append(cur)
    return parts


def parse_params(tokens):
    """Tokens between the parentheses of a method or record header -> [(annotations, type tokens)]."""
    params = []
    for part in split_top(tokens):
        annotations, rest, i = set(), [], 0
        while i < len(part):
            if part[i] == "@":
                name, i = parse_annotation(part, i)
                annotations.add(name)
            elif part[i] == "final":
                i += 1
            else:
                rest.append(part[i])
                i += 1
        if len(rest) >= 2:
            params.append((annotations, rest[:-1]))   # the last token is the parameter name
    return params


def parse_body(jf, tokens, i, chain, types):
    """Parses declarations from tokens[i] up to the '}' closing the current body; returns the index after it."""
    header = []  # items: str tokens, ('@', name), ('()', tokens)
    n = len(tokens)
    while i < n:
        t = tokens[i]
        if t == "}":
            return i + 1
        if t == "@" and i + 1 < n and tokens[i + 1] != "interface":
            name, i = parse_annotation(tokens, i)
            header.append(("@", name))
            continue
        if t == "(":
            j = match(tokens, i, "(", ")")
            header.append(("()", tokens[i + 1:j]))
            i = j + 1
            continue
        if t == "=":
            # field initializer: skip to the ';' at this level
            depth = 0
            while i < n:
                if tokens[i] in "({[":
                    depth += 1
                elif tokens[i] in ")}]":
                    depth -= 1
                elif tokens[i] == ";" and depth == 0:
                    break
                i += 1
            header = []
            i += 1
            continue
        if t in ("{", ";"):
            decl = None
            for k, h in enumerate(header):
                if isinstance(h, str) and h in DECL_KEYWORDS and k + 1 < len(header) \
                        and isinstance(header[k + 1], str) and re.match(r"[A-Za-z_$]", header[k + 1]) \
                        and (k == 0 or header[k - 1] != "."):
                    decl = (k, h, header[k + 1])
                    break
            if t == "{" and decl is not None:
                k, kind, name = decl
                binary = (chain[0] + "$" + name) if chain else (jf.package + "." + name if jf.package else name)
                jt = JavaType(binary, kind, jf)
                jt.annotations = {h[1] for h in header[:k] if isinstance(h, tuple) and h[0] == "@"}
                jt.outer_chain = [binary] + chain
                if kind == "record":
                    comps = next((h[1] for h in header[k + 2:] if isinstance(h, tuple) and h[0] == "()"), [])
                    jt.components = [p[1] for p in parse_params(comps)]
                types.append(jt)
                jf.types.append(jt)
                i = parse_body(jf, tokens, i + 1, [binary] + chain, types)
                header = []
                continue
            parens = [k for k, h in enumerate(header) if isinstance(h, tuple) and h[0] == "()"]
            if chain and parens and decl is None:
                k = parens[0]
                if k >= 1 and isinstance(header[k - 1], str) and re.match(r"[A-Za-z_$]", header[k - 1]):
                    annotations = {h[1] for h in header[:k] if isinstance(h, tuple) and h[0] == "@"}
                    plain = [h for h in header[:k - 1] if isinstance(h, str)]
                    # drop modifiers and a leading type-parameter list
                    plain = [p for p in plain if p not in {"public", "protected", "private", "static", "final",
                                                           "abstract", "synchronized", "default", "native",
                                                           "strictfp"}]
                    if plain[:1] == ["<"]:
                        plain = plain[match(plain, 0, "<", ">") + 1:]
                    owner = next(x for x in types if x.binary == chain[0])
                    owner.methods.append((annotations, plain, header[k - 1], parse_params(header[k][1])))
            if t == "{":
                i = match(tokens, i, "{", "}") + 1
            else:
                i += 1
            header = []
            continue
        header.append(t)
        i += 1
    return i


class Sources:
    def __init__(self, root):
        self.files = []
        self.types = []
        for path in sorted(root.rglob("*.java")):
            jf = JavaFile(path, path.read_text(encoding="utf-8"))
            tokens = TOKEN_RE.findall(jf.text)
            parse_body(jf, tokens, 0, [], self.types)
            self.files.append(jf)
        self.by_binary = {t.binary: t for t in self.types}
        self.by_canonical = {t.canonical: t for t in self.types}

    def resolve(self, name, jf, chain):
        """A (possibly dotted) type name as written in jf inside the types of chain -> project JavaType or None."""
        first, *rest = name.split(".")
        candidates = [c + "$" + first for c in chain]
        if first in jf.imports:
            imported = self.by_canonical.get(jf.imports[first])
            if imported:
                candidates.append(imported.binary)
        candidates.append((jf.package + "." if jf.package else "") + first)
        for w in jf.wildcards:
            t = self.by_canonical.get(w + "." + first)
            if t:
                candidates.append(t.binary)
        for c in candidates:
            if c in self.by_binary:
                binary = c + "".join("$" + r for r in rest)
                if binary in self.by_binary:
                    return self.by_binary[binary]
        # fully qualified name
        return self.by_canonical.get(name)

    def types_in(self, type_tokens, jf, chain):
        """Every project type named in a type expression such as Map<String, List<ApiModels.X>>."""
        found, i = [], 0
        while i < len(type_tokens):
            t = type_tokens[i]
            if re.match(r"[A-Za-z_$]", t):
                name = t
                while i + 2 < len(type_tokens) and type_tokens[i + 1] == "." \
                        and re.match(r"[A-Za-z_$]", type_tokens[i + 2]):
                    name += "." + type_tokens[i + 2]
                    i += 2
                jt = self.resolve(name, jf, chain)
                if jt:
                    found.append(jt)
            i += 1
        return found


def json_types(src):
    """{binary name: reason} of the project types that Jackson (de)serialises, derived from the sources."""
    resources = [t for t in src.types if "Path" in t.annotations
                 or any(m[0] & HTTP_METHODS for m in t.methods)]
    api_packages = {t.binary.rsplit(".", 1)[0] for t in resources}
    needed = {}

    def add(jt, reason):
        """Records why jt is needed; True when jt is new."""
        if jt.kind not in ("record", "class", "enum"):
            return False
        reasons = needed.setdefault(jt.binary, [])
        if reason not in reasons:
            reasons.append(reason)
        return len(reasons) == 1 and reasons[0] == reason

    # 1. every record declared in a package holding JAX-RS resources
    for t in src.types:
        if t.kind == "record" and t.binary.rsplit(".", 1)[0].split("$")[0] in api_packages:
            add(t, "record in API package")
    # 2. project types in resource method signatures
    for r in resources:
        for annotations, ret, name, params in r.methods:
            if not annotations & HTTP_METHODS:
                continue
            for jt in src.types_in(ret, r.source, r.outer_chain):
                add(jt, f"returned by {r.binary.rsplit('.', 1)[-1]}.{name}")
            for p_annotations, p_type in params:
                if p_annotations & NON_BODY_PARAM_ANNOTATIONS:
                    continue
                for jt in src.types_in(p_type, r.source, r.outer_chain):
                    add(jt, f"body of {r.binary.rsplit('.', 1)[-1]}.{name}")
    # 3. entities handed to Response builders: .entity(new X(..)), .entity(X.of(..)), .entity(var), ok(new X(..))
    for jf in src.files:
        chain = [t.binary for t in jf.types[:1]]
        for m in re.finditer(r"(?:\.entity|\b(?:Response|RestResponse)\s*\.\s*(?:ok|accepted|created))\s*\(\s*"
                             r"(?:new\s+([\w.]+)|([A-Z][\w.]*)\s*\.\s*\w+\s*\(|([A-Za-z_]\w*)\s*[,)])", jf.text):
            name = m.group(1) or m.group(2)
            if m.group(3):
                decl = re.search(r"([A-Z][\w.]*)(?:<[^;=(){}]*>)?\s+" + re.escape(m.group(3)) + r"\s*[,)=;]",
                                 jf.text)
                name = decl.group(1) if decl else None
            jt = src.resolve(name, jf, chain) if name else None
            if jt:
                add(jt, f"response entity in {jf.path.name}")
    # 4. transitively: project types of record components
    done = set()
    while set(needed) - done:
        for binary in sorted(set(needed) - done):
            done.add(binary)
            t = src.by_binary[binary]
            for comp in t.components:
                for jt in src.types_in(comp, t.source, t.outer_chain):
                    add(jt, f"component of {binary.rsplit('.', 1)[-1]}")
    return resources, {b: "; ".join(r) for b, r in needed.items()}


# ---------------------------------------------------------------------------------------------- build output

def classify_build(log_text, rc, mode, args_file):
    errors = re.findall(r"\[error\]: Build step (\S+) threw an exception: ([^\n]*)", log_text)
    other_mojo_failures = [l for l in log_text.splitlines()
                           if l.startswith("[ERROR] Failed to execute goal") and "quarkus-maven-plugin" not in l]
    if rc == 0:
        return False, "the build succeeded, so native-image was never stubbed or missing: unexpected here"
    if other_mojo_failures:
        return False, "a Maven step other than the Quarkus build failed: " + other_mojo_failures[0]
    if len(errors) != 1 or errors[0][0] != "io.quarkus.deployment.pkg.steps.NativeImageBuildStep#build":
        return False, f"{len(errors)} build step error(s), not just the native-image call: " + \
            "; ".join(f"{s}: {e}" for s, e in errors)
    if "Building native image source jar" not in log_text:
        return False, "Quarkus did not get as far as the native image source jar"
    message = errors[0][1]
    if mode == "stub":
        if "ImageGenerationFailureException: Image generation failed" in message \
                and f"exit code {STUB_EXIT_CODE}" in log_text and args_file and args_file.is_file():
            return True, ("every Quarkus build step ran; the build stopped at the native-image call "
                          f"(the stub recorded its arguments and exited {STUB_EXIT_CODE})")
        return False, "the native-image step failed, but not at the stub: " + message
    expected = ("Cannot get an executable name when no container runtime is available",
                "No container runtime was found")
    if any(e in message for e in expected):
        return True, "every Quarkus build step ran; the build stopped for want of native-image or a container runtime"
    return False, "the native-image step failed in an unexpected way: " + message


# ---------------------------------------------------------------------------------------------- generated config

def java_regex_to_python(pattern):
    return re.sub(r"\\Q(.*?)\\E", lambda m: re.escape(m.group(1)), pattern)


def read_runner(runner):
    reflect, resource_patterns, counts, names, props = {}, [], {}, set(), ""
    with zipfile.ZipFile(runner) as z:
        names = set(z.namelist())
        for name in sorted(names):
            if not name.startswith("META-INF/native-image/") or not name.endswith(".json"):
                continue
            data = json.loads(z.read(name) or b"[]")
            kind = name.rsplit("/", 1)[-1]
            if kind == "reflect-config.json":
                for entry in data:
                    e = reflect.setdefault(entry["name"], {})
                    for key, value in entry.items():
                        if value is True:
                            e[key] = True
                counts[name] = len(data)
            elif kind == "resource-config.json":
                includes = data.get("resources", {}).get("includes", []) if isinstance(data, dict) else []
                resource_patterns += [p["pattern"] for p in includes]
                counts[name] = len(includes)
            else:
                counts[name] = len(data) if isinstance(data, list) else \
                    sum(len(v) for v in data.values() if isinstance(v, list)) if isinstance(data, dict) else 0
        if "application.properties" in names:
            props = z.read("application.properties").decode("utf-8")
    return reflect, resource_patterns, counts, names, props


def parse_properties(text):
    props = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#!" or "=" not in line:
            continue
        k, v = line.split("=", 1)
        props[k.strip()] = v.strip()
    return props


def full_reflection(entry):
    return (entry.get("allDeclaredConstructors") or entry.get("allPublicConstructors")) \
        and (entry.get("allDeclaredMethods") or entry.get("allPublicMethods")) \
        and (entry.get("allDeclaredFields") or entry.get("allPublicFields"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", required=True, type=Path, help="project directory that was built")
    ap.add_argument("--build-log", type=Path, help="output of the native Maven build")
    ap.add_argument("--build-rc", type=int, help="exit status of the native Maven build")
    ap.add_argument("--mode", choices=["stub", "no-stub"], default="stub")
    ap.add_argument("--args-file", type=Path, help="native-image arguments recorded by the stub")
    args = ap.parse_args()
    rep = Report()
    project = args.project.resolve()

    print("== Native build (Maven, Quarkus build steps)")
    build_ok = True
    if args.build_log:
        build_ok, why = classify_build(args.build_log.read_text(encoding="utf-8", errors="replace"),
                                       args.build_rc, args.mode, args.args_file)
        rep.check(build_ok, why)
        if not build_ok:
            tail = args.build_log.read_text(encoding="utf-8", errors="replace").splitlines()
            errs = [l for l in tail if l.startswith("[ERROR]") or "[error]" in l][:40]
            for l in errs or tail[-40:]:
                rep.info(l)
            warnings = [l for l in tail if l.startswith("[WARNING] [io.quarkus")]
            for l in warnings:
                rep.info(l)

    jars = sorted((project / "target").glob("*-native-image-source-jar"))
    if not jars:
        rep.fail("no target/*-native-image-source-jar/ to inspect")
        return 2
    source_jar = jars[0]
    runner = next(source_jar.glob("*-runner.jar"))
    lib = sorted(p.name for p in (source_jar / "lib").glob("*.jar"))
    reflect, resource_patterns, counts, runner_names, runner_props_text = read_runner(runner)
    runner_props = parse_properties(runner_props_text)
    print(f"== Generated native configuration: {source_jar.name}/")
    for name, count in counts.items():
        rep.info(f"{name}: {count} entries")
    rep.info(f"lib/: {len(lib)} jars")

    src = Sources(project / "src" / "main" / "java")
    resources, needed = json_types(src)
    print(f"== Sources: {len(src.files)} Java files, {len(src.types)} types, {len(resources)} JAX-RS resources")

    # --- Jackson types
    missing = [b for b in needed if not (b in reflect and full_reflection(reflect[b]))]
    rep.check(not missing and needed,
              f"JSON types registered for reflection (constructors, methods, fields): "
              f"{len(needed) - len(missing)}/{len(needed)}")
    for b, reason in needed.items():
        state = "registered" if b not in missing else \
            ("registered WITHOUT full reflection" if b in reflect else "NOT REGISTERED")
        rep.info(f"{'  ' if b not in missing else '! '}{b}  [{reason}]  {state}")

    # --- JAX-RS resources and exception mappers
    absent = [r.binary for r in resources
              if r.binary.replace(".", "/") + ".class" not in runner_names or r.binary not in reflect]
    rep.check(resources and not absent,
              f"JAX-RS resources in the runner jar and registered: {len(resources) - len(absent)}/{len(resources)}"
              + (f" (missing: {', '.join(absent)})" if absent else ""))
    mapper_owners = {t.binary: sum(1 for m in t.methods if "ServerExceptionMapper" in m[0]) for t in src.types}
    mapper_owners = {k: v for k, v in mapper_owners.items() if v}
    expected_mappers = sum(mapper_owners.values())
    found_mappers = sum(1 for name in reflect for owner in mapper_owners if name.startswith(owner + "$ExceptionMapper$"))
    rep.check(found_mappers == expected_mappers,
              f"@ServerExceptionMapper methods with a registered generated mapper: {found_mappers}/{expected_mappers}")

    # --- resources
    resource_root = project / "src" / "main" / "resources"
    wanted = {p.relative_to(resource_root).as_posix() for p in resource_root.rglob("*") if p.is_file()}
    # Build-time inputs, not read at run time: application.properties (recorded at build time),
    # META-INF/resources/** (static content Quarkus registers itself), and the SmallRye OpenAPI contract
    # (merged at build time into META-INF/quarkus-generated-openapi-doc.*, which must be included instead).
    openapi_inputs = {w for w in wanted if re.fullmatch(r"META-INF/openapi\.(yaml|yml|json)", w)}
    build_time = {w for w in wanted if w == "application.properties" or w.startswith("META-INF/resources/")}
    build_time |= openapi_inputs
    wanted -= build_time
    if openapi_inputs:
        wanted |= {"META-INF/quarkus-generated-openapi-doc.YAML", "META-INF/quarkus-generated-openapi-doc.JSON"}
    if build_time:
        rep.info(f"build-time inputs, not needed in the image: {', '.join(sorted(build_time))}")
    for jf in src.files:
        for arg in re.findall(r"getResource(?:AsStream)?\(\s*(\"[^\"]*\"|\w+)\s*\)", jf.raw):
            value = arg.strip('"') if arg.startswith('"') else jf.string_constants.get(arg)
            if value:
                wanted.add(value.lstrip("/"))
    compiled = [re.compile(java_regex_to_python(p)) for p in resource_patterns]
    not_included = sorted(w for w in wanted if not any(c.fullmatch(w) for c in compiled))
    not_packaged = sorted(w for w in wanted if w not in runner_names)
    rep.check(wanted and not not_included and not not_packaged,
              f"resources included in the image: {len(wanted) - len(set(not_included) | set(not_packaged))}"
              f"/{len(wanted)} ({', '.join(sorted(wanted))})"
              + (f"; not in resource-config: {not_included}" if not_included else "")
              + (f"; not in the runner jar: {not_packaged}" if not_packaged else ""))
    for include in parse_properties((resource_root / "application.properties").read_text(encoding="utf-8")) \
            .get("quarkus.native.resources.includes", "").split(","):
        if include.strip():
            rep.check(any(fnmatch.fnmatch(n, include.strip()) for n in runner_names),
                      f"quarkus.native.resources.includes={include.strip()} matches a file in the runner jar")

    # --- AWS SDK HTTP client
    url_client = [j for j in lib if j.startswith("software.amazon.awssdk.url-connection-client-")]
    forbidden = [j for j in lib if j.startswith(SDK_CLIENTS_FORBIDDEN)]
    services = sorted({m.group(1) for j in lib
                       for m in [re.match(r"io\.quarkiverse\.amazonservices\.quarkus-amazon-([a-z0-9-]+?)-\d", j)]
                       if m and m.group(1) not in QUARKIVERSE_NON_SERVICE})
    not_url = [s for s in services if runner_props.get(f"quarkus.{s}.sync-client.type", "url") != "url"]
    netty = [j for j in lib if j.startswith("io.netty.") or j.startswith("modified-io.netty.")]
    rep.check(url_client and not forbidden and not not_url
              and "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService" in reflect,
              f"AWS SDK uses the URLConnection client: url-connection-client in lib/ ({len(url_client)}), "
              f"other SDK HTTP clients in lib/ ({len(forbidden)}{': ' + ', '.join(forbidden) if forbidden else ''}), "
              f"clients on sync-client.type=url {len(services) - len(not_url)}/{len(services)} ({', '.join(services)}), "
              f"UrlConnectionSdkHttpService registered")
    rep.info(f"({len(netty)} io.netty jars in lib/ belong to Vert.x / Quarkus REST, not to the AWS SDK)")

    # --- Lambda
    lambda_jar = [j for j in lib if j.startswith("io.quarkus.quarkus-amazon-lambda-http-")]
    lambda_missing = [t for t in LAMBDA_TYPES if t not in reflect]
    rep.check(lambda_jar and not lambda_missing,
              f"Lambda HTTP handler and API Gateway v2 event types registered: "
              f"{len(LAMBDA_TYPES) - len(lambda_missing)}/{len(LAMBDA_TYPES)}"
              + (f" (missing: {', '.join(lambda_missing)})" if lambda_missing else ""))

    # --- bcrypt
    if any("BcryptUtil" in jf.text for jf in src.files):
        rep.check("org.wildfly.security.password.impl.PasswordFactorySpiImpl" in reflect,
                  "Elytron password factory (bcrypt) registered")

    # --- native-image command line
    if args.args_file and args.args_file.is_file():
        argv = args.args_file.read_text(encoding="utf-8").splitlines()
        protocols = [a.split("=", 1)[1].split(",") for a in argv if a.startswith("--enable-url-protocols=")]
        protocols = {p for ps in protocols for p in ps} | ({"http"} if "--enable-http" in argv else set()) \
            | ({"https"} if "--enable-https" in argv else set())
        features = ",".join(a.split("=", 1)[1] for a in argv if a.startswith("--features="))
        wanted_args = {
            "https URLs enabled (--enable-url-protocols)": "https" in protocols,
            "--no-fallback": "--no-fallback" in argv,
            "Quarkus feature io.quarkus.runner.Feature": "io.quarkus.runner.Feature" in features,
            f"-jar {runner.name}": any(a == "-jar" and b == runner.name for a, b in zip(argv, argv[1:])),
            "no --allow-incomplete-classpath": "--allow-incomplete-classpath" not in argv,
        }
        bad = [k for k, v in wanted_args.items() if not v]
        rep.check(not bad, f"native-image command line ({len(argv)} arguments): "
                           f"{len(wanted_args) - len(bad)}/{len(wanted_args)} expectations"
                           + (f" (failed: {', '.join(bad)})" if bad else ""))
        extra = [a for a in argv if a.startswith("--enable-url-protocols") or a in ("--no-fallback", "--link-at-build-time")]
        rep.info("; ".join(extra))
    else:
        rep.info("native-image command line: not recorded (no stub), not checked")

    print(f"== {'PASS' if rep.failures == 0 and build_ok else 'FAIL'}: {rep.failures} failed check(s)")
    if not build_ok:
        return 2
    return 1 if rep.failures else 0


if __name__ == "__main__":
    sys.exit(main())
