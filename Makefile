# SPDX-License-Identifier: GPL-2.0
#
# sessha: build the kernel module and the CLI, and test them in a VM.
#
#   make [all]        module + CLI
#   make module       kmod/sessha.ko for KVER (W=1; any warning fails)
#   make cli          tools/sessha (tools/Makefile)
#   make check        install deps, build, fuzz the sync decoder for
#                     FUZZ_SECONDS (20), run selftests/run.sh in a VM
#   make fuzz         fuzz the sync decoder for FUZZ_LONG seconds (600)
#   make demo         install deps, build, run selftests/demo.sh in a VM
#   make bench        install deps, build, benchmark against IPVS in a VM
#   make checkpatch   checkpatch.pl from linux-source-6.12 on kmod and uapi
#   make layers       check that kmod files depend on lower layers only
#                     (tools/kmod-layers.py; Documentation/design.rst)
#   make sparse       rebuild the module under sparse (C=2); warnings fail
#   make deps         install missing build/test packages (tools/deps.sh)
#   make clean
#
# Variables:
#   KVER    kernel release to build and boot; default: Debian 12's 6.1
#           (tools/vm/kver.sh), e.g. KVER=6.12.117+deb12-amd64
#   VM      1 (default): run tests in QEMU; 0: run them on this host
#           (needs a host that can load modules: root, matching KVER)
#   TESTS   selftests to run, by number or name: TESTS="01 03"
#   TEST_TIMEOUT  seconds per selftest (selftests/run.sh; default 300)
#   V       1: verbose kbuild

# KVER is resolved on first use only, so that "make check" can install the
# kernel headers (deps) before looking for them.
ifeq ($(origin KVER),undefined)
KVER = $(eval KVER := $$(shell tools/vm/kver.sh 6.1))$(KVER)
endif
VM ?= 1
FUZZ_SECONDS ?= 20
FUZZ_LONG ?= 600
TESTS ?=

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

KDIR = /lib/modules/$(KVER)/build
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR)
BUILD := $(CURDIR)/build
# The KVER the objects in kmod/ were last built for, without warnings.
KVER_STAMP := $(BUILD)/module.kver

# deps gets KVER only when the user chose one; the default kernel comes
# from the meta-package, which deps installs.
DEPS_KERNEL = $(if $(filter command line environment,$(origin KVER)),$(KVER),6.1)

TEST_ENV = SESSHA_KO=$(CURDIR)/kmod/sessha.ko SESSHA=$(CURDIR)/tools/sessha \
	   TESTS="$(TESTS)" $(if $(TEST_TIMEOUT),TEST_TIMEOUT=$(TEST_TIMEOUT))
ifeq ($(VM),1)
RUN = tools/vm/run.sh $(KVER) $(TEST_ENV)
else ifeq ($(VM),0)
RUN = env $(TEST_ENV)
else
$(error VM must be 0 or 1)
endif

.PHONY: all module cli check demo fuzz checkpatch sparse layers deps clean

all: module cli

# Objects are built in place (M=), so switching KVER needs a clean first.
# Any warning fails the build, and forgets the stamp so that the next build
# starts clean and shows the warnings again instead of reusing the objects.
module:
	@test -d $(KDIR) || { echo "no headers for $(KVER): make deps KVER=$(KVER)"; exit 1; }
	@mkdir -p $(BUILD)
	@if [ "$$(cat $(KVER_STAMP) 2>/dev/null)" != "$(KVER)" ]; then \
		rm -f $(KVER_STAMP); $(KMAKE) clean >/dev/null; fi
	$(KMAKE) W=1 $(KBUILD_EXTRA) modules 2>&1 | tee $(BUILD)/module.log
	@if grep -qi 'warning:' $(BUILD)/module.log; then \
		echo "module: build warnings (see above; log: $(BUILD)/module.log)"; \
		rm -f $(KVER_STAMP); exit 1; fi
	@echo $(KVER) >$(KVER_STAMP)

cli:
	$(MAKE) -C tools

deps:
	@tools/deps.sh $(DEPS_KERNEL)

# The sub-make resolves KVER after deps has installed the headers.
check: deps
	@$(MAKE) --no-print-directory layers
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory -C tools/fuzz run SECONDS=$(FUZZ_SECONDS)
	$(RUN) selftests/run.sh

# The sync wire decoder under libFuzzer, on the host: longer than check's.
fuzz: deps
	@$(MAKE) --no-print-directory -C tools/fuzz run SECONDS=$(FUZZ_LONG)

demo: deps
	@$(MAKE) --no-print-directory all
	$(RUN) selftests/demo.sh

# sessha next to IPVS, in one VM boot; results in bench/results/ (bench/README.md)
.PHONY: bench
bench: deps
	@$(MAKE) --no-print-directory all
	bench/run.sh $(KVER)

layers:
	@mkdir -p $(BUILD)
	@tools/kmod-layers.py kmod >$(BUILD)/layers.log || \
		{ cat $(BUILD)/layers.log; exit 1; }
	@tail -n1 $(BUILD)/layers.log

# Recheck every file (C=2), not just the ones recompiled.
sparse:
	@$(MAKE) --no-print-directory module KBUILD_EXTRA=C=2

CHECKPATCH := $(BUILD)/checkpatch/checkpatch.pl
$(CHECKPATCH):
	@test -r /usr/src/linux-source-6.12.tar.xz || \
		{ echo "no linux-source-6.12: make deps"; exit 1; }
	@mkdir -p $(@D)
	tar -xJf /usr/src/linux-source-6.12.tar.xz -C $(@D) --strip-components=2 \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch
	@touch $@

# Sources only: kbuild leaves a generated sessha.mod.c next to them.
CHECKPATCH_FILES = $(filter-out %.mod.c,$(wildcard kmod/*.[ch])) include/uapi/linux/sessha.h

checkpatch: $(CHECKPATCH)
	$(CHECKPATCH) --no-tree --quiet -f $(CHECKPATCH_FILES)

# kbuild's clean works with any headers; without any, remove by hand.
clean:
	@if [ -d $(KDIR) ]; then $(KMAKE) clean; else \
		rm -f Module.symvers modules.order kmod/*.{o,ko,mod,mod.c} \
			kmod/modules.order kmod/.*.cmd .*.cmd; fi
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools clean; fi
	rm -rf $(BUILD)
