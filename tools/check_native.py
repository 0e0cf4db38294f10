#!/usr/bin/env python3
"""Checks what Quarkus generated for a native build, without GraalVM (tree-sitter reads the Java sources).

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
# The sources are read with tree-sitter's Java grammar (a full Java 21 parser): javalang, the pure-Python
# parser, stops at records and instanceof patterns, which these sources use.

TYPE_DECLARATIONS = {"class_declaration": "class", "interface_declaration": "interface",
                     "enum_declaration": "enum", "record_declaration": "record",
                     "annotation_type_declaration": "interface"}
# Bodies whose member types are types of the project; method and constructor bodies (local and anonymous
# classes) are not walked.
MEMBER_BODIES = {"class_body", "interface_body", "enum_body", "enum_body_declarations", "annotation_type_body"}


def java_parser():
    import tree_sitter_java
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_java.language()))


def text(node):
    return node.text.decode("utf-8") if node is not None else ""


def walk(node):
    """node and all of its descendants, in source order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def annotations_of(node):
    """Simple names of the annotations in a declaration's or parameter's modifiers."""
    modifiers = next((c for c in node.children if c.type == "modifiers"), None)
    if modifiers is None:
        return set()
    return {text(a.child_by_field_name("name")).rsplit(".", 1)[-1]
            for a in modifiers.children if a.type in ("annotation", "marker_annotation")}


def parameters_of(formal_parameters):
    """formal_parameters -> [(annotation names, type node)]."""
    if formal_parameters is None:
        return []
    return [(annotations_of(p), p.child_by_field_name("type") or next(
                (c for c in p.named_children if c.type not in ("modifiers", "variable_declarator")), None))
            for p in formal_parameters.named_children if p.type in ("formal_parameter", "spread_parameter")]


def base_type_name(type_node):
    """The name of a type without its type arguments: Map<K, V> -> Map, ApiModels.X -> ApiModels.X."""
    if type_node is None:
        return None
    if type_node.type == "generic_type":
        return base_type_name(type_node.named_children[0])
    if type_node.type in ("type_identifier", "scoped_type_identifier", "identifier", "scoped_identifier",
                          "field_access"):
        return re.sub(r"<[^<>]*>|\s+", "", text(type_node))
    return None


class JavaType:
    def __init__(self, binary, kind, source):
        self.binary = binary            # com.x.Outer$Inner
        self.kind = kind                # class / interface / enum / record
        self.source = source            # JavaFile
        self.annotations = set()        # simple names
        self.components = []            # record components: their type nodes
        self.methods = []               # (annotation names, return type node, name, [(param annotations, type node)])
        self.outer_chain = []           # binary names of this type and its enclosing types, innermost first

    @property
    def canonical(self):
        return self.binary.replace("$", ".")


class JavaFile:
    def __init__(self, path, tree):
        self.path = path
        self.tree = tree
        root = tree.root_node
        package = next((c for c in root.named_children if c.type == "package_declaration"), None)
        self.package = text(next((c for c in package.named_children if "identifier" in c.type), None)) \
            if package else ""
        self.imports = {}
        self.wildcards = []
        for imp in (c for c in root.named_children if c.type == "import_declaration"):
            if any(c.type == "static" for c in imp.children):
                continue
            name = text(next(c for c in imp.named_children if "identifier" in c.type))
            if any(c.type == "asterisk" for c in imp.children):
                self.wildcards.append(name)
            else:
                self.imports[name.rsplit(".", 1)[-1]] = name
        nodes = list(walk(root))
        # every name the code uses (comments and string contents are not names)
        self.identifiers = {text(n) for n in nodes if n.type in ("identifier", "type_identifier")}
        # string constants, for resources loaded through a constant (e.g. RESOURCE = "common-passwords.txt")
        self.string_constants = {}
        for n in nodes:
            if n.type == "variable_declarator":
                value = n.child_by_field_name("value")
                if value is not None and value.type == "string_literal":
                    self.string_constants.setdefault(text(n.child_by_field_name("name")), string_value(value))
        self.invocations = [n for n in nodes if n.type == "method_invocation"]
        self.declarations = [n for n in nodes if n.type in ("local_variable_declaration", "field_declaration",
                                                             "formal_parameter", "spread_parameter")]
        self.types = []

    def declared_type(self, variable):
        """The type name of the first declaration of variable in this file (local, field or parameter)."""
        for d in self.declarations:
            names = [d.child_by_field_name("name")] + \
                [c.child_by_field_name("name") for c in d.named_children if c.type == "variable_declarator"]
            if any(text(n) == variable for n in names if n is not None):
                return base_type_name(d.child_by_field_name("type"))
        return None


def string_value(node):
    """The value of a plain string literal (no escapes in what this reads)."""
    return "".join(text(c) for c in node.named_children if c.type in ("string_fragment", "multiline_string_fragment"))


def collect_types(jf, body, chain, types):
    """Records the types declared in body (a program or a type's body) and, recursively, their member types."""
    for node in body.named_children:
        if node.type in MEMBER_BODIES:
            collect_types(jf, node, chain, types)
            continue
        kind = TYPE_DECLARATIONS.get(node.type)
        if chain and node.type in ("method_declaration", "constructor_declaration", "compact_constructor_declaration"):
            if node.type == "method_declaration":
                owner = next(t for t in types if t.binary == chain[0])
                owner.methods.append((annotations_of(node), node.child_by_field_name("type"),
                                      text(node.child_by_field_name("name")),
                                      parameters_of(node.child_by_field_name("parameters"))))
            continue
        if kind is None:
            continue
        name = text(node.child_by_field_name("name"))
        binary = (chain[0] + "$" + name) if chain else (jf.package + "." + name if jf.package else name)
        jt = JavaType(binary, kind, jf)
        jt.annotations = annotations_of(node)
        jt.outer_chain = [binary] + chain
        if kind == "record":
            jt.components = [t for _, t in parameters_of(node.child_by_field_name("parameters"))]
        types.append(jt)
        jf.types.append(jt)
        body_node = node.child_by_field_name("body")
        if body_node is not None:
            collect_types(jf, body_node, [binary] + chain, types)


class Sources:
    def __init__(self, root):
        parser = java_parser()
        self.files = []
        self.types = []
        self.unparsed = []
        for path in sorted(root.rglob("*.java")):
            tree = parser.parse(path.read_bytes())
            if tree.root_node.has_error:
                self.unparsed.append(path)
            jf = JavaFile(path, tree)
            collect_types(jf, tree.root_node, [], self.types)
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

    def types_in(self, type_node, jf, chain):
        """Every project type named in a type such as Map<String, List<ApiModels.X>>."""
        found = []

        def visit(node):
            if node.type in ("type_identifier", "scoped_type_identifier"):
                jt = self.resolve(base_type_name(node), jf, chain)
                if jt:
                    found.append(jt)
                return  # Outer.Inner names one type, not Outer too
            for child in node.named_children:
                if child.type not in ("annotation", "marker_annotation"):
                    visit(child)

        if type_node is not None:
            visit(type_node)
        return found

    def entities(self, jf):
        """Type names of what jf hands to a Response builder: .entity(x), Response.ok(x), RestResponse.created(x)..."""
        for call in jf.invocations:
            name, target = text(call.child_by_field_name("name")), call.child_by_field_name("object")
            builder = name == "entity" and target is not None or \
                text(target) in ("Response", "RestResponse") and name in ("ok", "accepted", "created")
            arguments = call.child_by_field_name("arguments")
            if not builder or arguments is None or not arguments.named_children:
                continue
            argument = arguments.named_children[0]
            if argument.type == "object_creation_expression":           # new X(..)
                yield base_type_name(argument.child_by_field_name("type"))
            elif argument.type == "method_invocation":                  # X.of(..)
                owner = argument.child_by_field_name("object")
                if owner is not None and text(owner)[:1].isupper():
                    yield base_type_name(owner)
            elif argument.type == "identifier":                         # a variable: its declared type
                yield jf.declared_type(text(argument))


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
        for name in src.entities(jf):
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
    """A Java .properties text (continuation lines, escapes, ':' separators) -> dict, read by javaproperties."""
    import javaproperties

    return {k.strip(): v.strip() for k, v in javaproperties.loads(text).items()}


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
    rep.check(not src.unparsed, f"Java sources parsed without syntax errors: {len(src.files) - len(src.unparsed)}/"
                                f"{len(src.files)}" + (f" (not: {', '.join(p.name for p in src.unparsed)})"
                                                       if src.unparsed else ""))

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
        for call in jf.invocations:
            arguments = call.child_by_field_name("arguments")
            if text(call.child_by_field_name("name")) not in ("getResource", "getResourceAsStream") \
                    or arguments is None or len(arguments.named_children) != 1:
                continue
            arg = arguments.named_children[0]
            value = string_value(arg) if arg.type == "string_literal" else \
                jf.string_constants.get(text(arg)) if arg.type == "identifier" else None
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
    if any("BcryptUtil" in jf.identifiers for jf in src.files):
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
