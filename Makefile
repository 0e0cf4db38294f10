# `sam build` runs this (template.yaml: Metadata BuildMethod makefile, ContextPath .) as
#     make --makefile <repo>/Makefile build-<Function>     with ARTIFACTS_DIR=.aws-sam/build/<Function>
# SAM never shares a makefile build between functions (samcli/lib/build/build_graph.py: "each build with
# custom Makefile definition should be handled separately"), so it calls build-<Function> once per function.
# The application is still built ONCE: the Maven build (./mvnw package -> target/function.zip, unpacked by
# the build into target/function/) is a make target with a stamp per mode, redone only when pom.xml,
# .mvn/, src/main/ or this file changed, under a lock (flock, where it exists) for `sam build --parallel`.
# Each build-<Function> then copies target/function/ into its ARTIFACTS_DIR.
#
# The mode follows the runtime SAM resolved for the function (DeploymentMode=jvm -> java21, native ->
# provided.al2023), read from SAM's own build graph (.aws-sam/build.toml); DEPLOYMENT_MODE=jvm|native in
# the environment also works and must agree with it. Native needs a local GraalVM/Mandrel
# (GRAALVM_HOME or native-image on PATH) or a running Docker/Podman for Quarkus's container build.
#
# Without SAM: `make jvm` or `make native` builds target/function/ and target/function.zip.

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
MVNW := $(ROOT)/mvnw
MAVEN_FLAGS ?= -B -ntp -DskipTests
SHELL := /bin/bash

# Runtime of the build definition that holds $(1), from SAM's build graph next to the build directory.
sam_runtime = $(shell f="$(ARTIFACTS_DIR)/../../build.toml"; [ -f "$$f" ] && awk -v fn='"$(1)"' \
  '/^\[/{rt=""} /^runtime *=/{gsub(/[" ]/,"",$$3); rt=$$3} /^functions *=/{if (index($$0, fn) && rt!="") print rt}' "$$f" | head -n1)

mode_of_runtime = $(if $(filter java%,$(1)),jvm,$(if $(filter provided%,$(1)),native,))

SOURCES := $(shell cd "$(ROOT)" && find pom.xml .mvn src/main -type f 2>/dev/null | sed 's|^|$(ROOT)/|') $(ROOT)/Makefile
STAMP = $(ROOT)/target/.function-$(1).stamp
LOCK := $(shell command -v flock >/dev/null 2>&1 && echo flock "$(ROOT)/target/.function.lock")

.PHONY: jvm native
jvm native:
	@mkdir -p "$(ROOT)/target"
	@$(LOCK) $(MAKE) --no-print-directory -f "$(ROOT)/Makefile" "$(call STAMP,$@)"

$(call STAMP,jvm): $(SOURCES)
	rm -f "$(ROOT)"/target/.function-*.stamp
	cd "$(ROOT)" && "$(MVNW)" $(MAVEN_FLAGS) package -Dquarkus.native.enabled=false
	touch "$@"

$(call STAMP,native): $(SOURCES) | native-toolchain
	rm -f "$(ROOT)"/target/.function-*.stamp
	cd "$(ROOT)" && "$(MVNW)" $(MAVEN_FLAGS) package -Dnative $(NATIVE_FLAGS)
	touch "$@"

# Chooses how the native executable gets built, or says why it cannot.
.PHONY: native-toolchain
native-toolchain:
	@if [ -n "$$GRAALVM_HOME" ] && [ -x "$$GRAALVM_HOME/bin/native-image" ] || command -v native-image >/dev/null 2>&1; then \
	  echo "native build with the local GraalVM/Mandrel"; \
	elif (docker info >/dev/null 2>&1 || podman info >/dev/null 2>&1); then \
	  echo "native build in a container (Quarkus builder image; needs to pull it once)"; \
	else \
	  echo "ERROR: DeploymentMode=native needs GraalVM/Mandrel (set GRAALVM_HOME) or a running Docker/Podman" >&2; \
	  echo "       for the native-image build, and neither was found. Either install one of them, or build" >&2; \
	  echo "       and deploy for the JVM:  sam build --parameter-overrides DeploymentMode=jvm" >&2; \
	  exit 2; \
	fi
NATIVE_FLAGS = $(shell if [ -n "$$GRAALVM_HOME" ] && [ -x "$$GRAALVM_HOME/bin/native-image" ] || command -v native-image >/dev/null 2>&1; \
  then echo -Dquarkus.native.container-build=false; else echo -Dquarkus.native.container-build=true; fi)

# build-SignupFunction, build-LoginFunction, ...: whichever function SAM picks for the shared build.
build-%:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ERROR: ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; }
	@sam_mode="$(call mode_of_runtime,$(call sam_runtime,$*))"; mode="$${DEPLOYMENT_MODE:-$$sam_mode}"; mode="$${mode:-native}"; \
	if [ -n "$$sam_mode" ] && [ "$$mode" != "$$sam_mode" ]; then \
	  echo "ERROR: DEPLOYMENT_MODE=$$mode, but SAM resolved the runtime of $* for DeploymentMode=$$sam_mode" >&2; exit 2; \
	fi; \
	echo "sam build: $* for DeploymentMode=$$mode"; \
	$(MAKE) --no-print-directory -f "$(ROOT)/Makefile" "$$mode" && \
	$(MAKE) --no-print-directory -f "$(ROOT)/Makefile" artifacts MODE="$$mode"

.PHONY: artifacts
artifacts:
	@if [ "$(MODE)" = native ] && [ ! -x "$(ROOT)/target/function/bootstrap" ]; then \
	  echo "ERROR: target/function has no executable bootstrap after the native build" >&2; exit 1; fi
	@if [ "$(MODE)" = jvm ] && [ ! -d "$(ROOT)/target/function/io/quarkus/runtime/generated" ]; then \
	  echo "ERROR: target/function holds no Quarkus application (the runner jar's classes) after the JVM build" >&2; exit 1; fi
	rm -rf "$(ARTIFACTS_DIR)"/*
	cp -R "$(ROOT)/target/function/." "$(ARTIFACTS_DIR)/"
