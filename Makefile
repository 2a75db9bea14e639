# SPDX-License-Identifier: GPL-2.0
#
# sessha: build the kernel module and the CLI, and test them in a VM.
#
#   make [all]        module + CLI
#   make module       kmod/sessha.ko for KVER (W=1; any warning fails)
#   make cli          tools/sessha (tools/Makefile)
#   make check        install deps, netlink-check, build, fuzz the sync
#                     decoder for FUZZ_SECONDS (20), run selftests/run.sh
#                     in a VM
#   make fuzz         fuzz the sync decoder for FUZZ_LONG seconds (600)
#   make demo         install deps, build, run selftests/demo.sh in a VM
#   make bench        install deps, build, benchmark against IPVS in a VM
#   make install      the module for KVER (default here: the running
#                     kernel) in /lib/modules/KVER/updates, depmod, and
#                     tools/Makefile's install: CLI, man page, completion,
#                     sessha.service; DESTDIR, PREFIX as usual
#   make install-check  make install into build/, then check that modprobe
#                     would load sessha after udp_tunnel (loads nothing)
#   make dkms-install copy the module's sources to /usr/src/sessha-VERSION
#                     and "dkms install" them (dkms.conf): rebuilt for
#                     every kernel installed later
#   make dkms-check   dkms add, build (signed) and install for Debian's 6.1
#                     and 6.12 (DKMS_KVERS) in private DKMS and module trees
#                     under build/, then what modprobe would load: no
#                     loading, no change to the host's DKMS or /lib/modules
#   make checkpatch   checkpatch.pl from linux-source-6.12 on kmod and uapi
#   make layers       check that kmod files depend on lower layers only
#                     (tools/kmod-layers.py; Documentation/design.rst)
#   make netlink-gen  regenerate, from Documentation/netlink/specs/sessha.yaml,
#                     the UAPI header, kmod/sessha-nl-gen.[ch] (the kernel's
#                     ynl-gen-c.py) and tools/sessha-nl-gen.[ch] (nl-gen.py)
#   make netlink-check  regenerate into build/ and fail on any difference
#                     from the checked-in files (first thing make check does)
#   make ynl          build/ynl: the kernel's YNL (cli.py) for the tests
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
#   SERIAL  1: a selftest's family variants one after the other
#   V       1: verbose kbuild

# KVER is resolved on first use only, so that "make check" can install the
# kernel headers (deps) before looking for them.
# "make install" alone is for the kernel that runs.
ifeq ($(origin KVER),undefined)
ifneq ($(filter install,$(MAKECMDGOALS)),)
KVER := $(shell uname -r)
else
KVER = $(eval KVER := $$(shell tools/vm/kver.sh 6.1))$(KVER)
endif
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
	   YNL_DIR=$(YNL) \
	   TESTS="$(TESTS)" $(if $(TEST_TIMEOUT),TEST_TIMEOUT=$(TEST_TIMEOUT)) \
	   $(if $(SERIAL),SERIAL=$(SERIAL))
ifeq ($(VM),1)
RUN = tools/vm/run.sh $(KVER) $(TEST_ENV)
else ifeq ($(VM),0)
RUN = env $(TEST_ENV)
else
$(error VM must be 0 or 1)
endif

.PHONY: all module cli check demo fuzz checkpatch sparse layers deps clean \
	netlink-gen netlink-check ynl install install-check dkms-install dkms-check

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
	@$(MAKE) --no-print-directory netlink-check
	@$(MAKE) --no-print-directory all ynl
	@$(MAKE) --no-print-directory -C tools check
	@$(MAKE) --no-print-directory -C tools/fuzz run SECONDS=$(FUZZ_SECONDS)
	$(RUN) selftests/run.sh

# The sync wire decoder under libFuzzer, on the host: longer than check's.
fuzz: deps
	@$(MAKE) --no-print-directory -C tools/fuzz run SECONDS=$(FUZZ_LONG)

demo: deps
	@$(MAKE) --no-print-directory all
	$(RUN) $(if $(FAMILY),SESSHA_FAMILY=$(FAMILY)) selftests/demo.sh

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

# ---------------------------------------------------------------- install
# The module goes where depmod looks first (updates/ takes precedence over
# the kernel's own tree); depmod then lets "modprobe sessha" load
# udp_tunnel and ip6_udp_tunnel before it. Into a DESTDIR (a package),
# depmod is the package's postinst's job, on the target.
MODDIR = /lib/modules/$(KVER)/updates

install: module cli
	install -D -m 0644 kmod/sessha.ko $(DESTDIR)$(MODDIR)/sessha.ko
	$(if $(DESTDIR),@echo "install: run \"depmod -a $(KVER)\" on the target",depmod -a $(KVER))
	$(MAKE) -C tools install

# make install into build/install-check, then what "modprobe sessha"
# would load, from a depmod of that tree over the kernel's own modules:
# udp_tunnel must come before sessha. Nothing is loaded.
INSTALL_TEST := $(BUILD)/install-check
install-check:
	@test -d /lib/modules/$(KVER)/kernel || { echo "no modules of $(KVER) installed"; exit 1; }
	@rm -rf $(INSTALL_TEST)
	@$(MAKE) --no-print-directory install DESTDIR=$(INSTALL_TEST) KVER=$(KVER) >/dev/null
	@m=$(INSTALL_TEST)/lib/modules/$(KVER) && ln -s /lib/modules/$(KVER)/kernel $$m/kernel && \
	cp /lib/modules/$(KVER)/modules.order /lib/modules/$(KVER)/modules.builtin* $$m/ && \
	depmod -b $(INSTALL_TEST) $(KVER) && \
	modprobe -d $(INSTALL_TEST) -S $(KVER) --show-depends sessha | tee $(BUILD)/install-check.log && \
	grep -q 'udp_tunnel.ko' $(BUILD)/install-check.log && \
	tail -n1 $(BUILD)/install-check.log | grep -q 'updates/sessha.ko' && \
	for f in usr/local/sbin/sessha usr/local/share/man/man8/sessha.8 \
		usr/local/share/bash-completion/completions/sessha \
		lib/systemd/system/sessha.service; do \
		test -e $(INSTALL_TEST)/$$f || { echo "install-check: no /$$f"; exit 1; }; done
	@echo "install-check: modprobe sessha loads udp_tunnel first ($(KVER))"

# DKMS builds from a copy of the sources the module needs, and nothing else.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_FILES = dkms.conf Kbuild kmod/Kbuild include/uapi/linux/sessha.h \
	$(filter-out %.mod.c,$(wildcard kmod/*.[ch]))
DKMS_KVERS = $(shell tools/vm/kver.sh 6.1) $(shell tools/vm/kver.sh 6.12)

# dkms_src DIR: the DKMS source tree of this version, under DIR.
define dkms_src
	@rm -rf $(1)/sessha-$(DKMS_VERSION)
	@mkdir -p $(1)/sessha-$(DKMS_VERSION)
	cp --parents $(DKMS_FILES) $(1)/sessha-$(DKMS_VERSION)/
endef

dkms-install:
	@command -v dkms >/dev/null || { echo "no dkms: apt-get install dkms"; exit 1; }
	$(call dkms_src,$(DESTDIR)/usr/src)
	$(if $(DESTDIR),@echo "dkms-install: run \"dkms install sessha/$(DKMS_VERSION)\" on the target", \
		dkms remove sessha/$(DKMS_VERSION) --all >/dev/null 2>&1 || true; \
		dkms install sessha/$(DKMS_VERSION))

# The same add, build and install, in a DKMS tree and an install tree of
# our own: what dkms does on a host, for each kernel. Remove before add,
# so that a second run starts as the first did. The install tree is a
# /lib/modules with the kernel's own modules linked in; dkms's depmod is
# left out (it would run on the host's tree) and run on ours instead, to
# check that modprobe would load sessha from updates/dkms after
# udp_tunnel.
DKMS_TEST := $(BUILD)/dkms
# The signing key is a throwaway one of our own too (dkms makes it on
# first use), so that the check leaves the host's MOK key alone and still
# sees the module signed as DKMS signs it on a Secure Boot host.
DKMS = mok_signing_key=$(DKMS_TEST)/mok.key mok_certificate=$(DKMS_TEST)/mok.pub \
	dkms --sourcetree $(DKMS_TEST)/src --dkmstree $(DKMS_TEST)/tree \
	--installtree $(DKMS_TEST)/root/lib/modules

dkms-check:
	@command -v dkms >/dev/null || { echo "no dkms: apt-get install dkms"; exit 1; }
	@for k in $(DKMS_KVERS); do test -d /lib/modules/$$k/build || \
		{ echo "no headers for $$k: make deps KVER=$$k"; exit 1; }; done
	@test -n "$(strip $(DKMS_KVERS))" || { echo "no kernel headers"; exit 1; }
	$(call dkms_src,$(DKMS_TEST)/src)
	@rm -rf $(DKMS_TEST)/root
	@mkdir -p $(DKMS_TEST)/tree
	@for k in $(DKMS_KVERS); do m=$(DKMS_TEST)/root/lib/modules/$$k; mkdir -p $$m && \
		ln -s /lib/modules/$$k/kernel $$m/kernel && \
		cp /lib/modules/$$k/modules.order /lib/modules/$$k/modules.builtin* $$m/; done
	$(DKMS) remove sessha/$(DKMS_VERSION) --all >/dev/null 2>&1 || true
	$(DKMS) add sessha/$(DKMS_VERSION)
	@for k in $(DKMS_KVERS); do \
		echo "dkms build sessha/$(DKMS_VERSION) -k $$k"; \
		$(DKMS) build sessha/$(DKMS_VERSION) -k $$k || { \
			cat $(DKMS_TEST)/tree/sessha/$(DKMS_VERSION)/build/make.log 2>/dev/null; \
			exit 1; }; \
		ko=$(DKMS_TEST)/tree/sessha/$(DKMS_VERSION)/$$k/x86_64/module/sessha.ko; \
		ko=$$(ls $$ko* 2>/dev/null) || { echo "dkms-check: no $$ko"; exit 1; }; \
		signer=$$(modinfo -F signer $$ko); echo "$$ko: signed by $${signer:-nobody}"; \
		[ -n "$$signer" ] || { echo "dkms-check: $$ko is not signed"; exit 1; }; \
		$(DKMS) install --no-depmod sessha/$(DKMS_VERSION) -k $$k >/dev/null && \
		depmod -b $(DKMS_TEST)/root $$k && \
		modprobe -d $(DKMS_TEST)/root -S $$k --show-depends sessha >$(DKMS_TEST)/deps && \
		grep -q 'udp_tunnel.ko' $(DKMS_TEST)/deps && \
		tail -n1 $(DKMS_TEST)/deps | grep -q 'updates/dkms/sessha.ko' || \
			{ cat $(DKMS_TEST)/deps; echo "dkms-check: modprobe would not load sessha ($$k)"; exit 1; }; \
		echo "$$k: modprobe sessha: $$(sed 's|.*/||' $(DKMS_TEST)/deps | tr -d ' ' | paste -sd' ')"; \
		done
	$(DKMS) status sessha
	@echo "dkms-check: sessha/$(DKMS_VERSION) builds and installs for $(strip $(DKMS_KVERS))"

# ---------------------------------------------------------------- netlink
# The family is written once, as Documentation/netlink/specs/sessha.yaml.
# build/ynl is tools/net/ynl of linux-source-6.12, as the kernel ships it
# (the selftests run its cli.py), plus the schema, and ynl-gen-c-sessha.py:
# its ynl-gen-c.py with tools/ynl-gen-c.patch, which adds what the per-op
# tables for 6.1 need (the patch says what and why).
KSRC_TAR := /usr/src/linux-source-6.12.tar.xz
SPEC := Documentation/netlink/specs/sessha.yaml
YNL := $(BUILD)/ynl
YNL_GEN := $(YNL)/ynl-gen-c-sessha.py
PYTHON3 := /usr/bin/python3
NETLINK_GEN_FILES := include/uapi/linux/sessha.h kmod/sessha-nl-gen.c \
	kmod/sessha-nl-gen.h tools/sessha-nl-gen.c tools/sessha-nl-gen.h

$(YNL)/cli.py:
	@test -r $(KSRC_TAR) || { echo "no linux-source-6.12: make deps"; exit 1; }
	@rm -rf $(YNL) && mkdir -p $(BUILD)
	tar -xJf $(KSRC_TAR) -C $(BUILD) --strip-components=3 \
		linux-source-6.12/tools/net/ynl \
		linux-source-6.12/Documentation/netlink/genetlink-legacy.yaml
	mv $(BUILD)/genetlink-legacy.yaml $(YNL)/
	@touch $@

$(YNL_GEN): $(YNL)/cli.py tools/ynl-gen-c.patch
	patch -s -o $@ $(YNL)/ynl-gen-c.py tools/ynl-gen-c.patch

ynl: $(YNL)/cli.py

# netlink_gen OUTDIR: the generated files under OUTDIR, in the checkout's
# layout. Out of tree, ynl-gen-c.py wants a MAINTAINERS file above the spec
# (it names the spec from there) and the schema at specs/../: a scratch
# tree holds both.
define netlink_gen
	@t=$$(mktemp -d) && trap 'rm -rf "$$t"' EXIT && \
	mkdir -p $$t/Documentation/netlink/specs $(addprefix $(1)/,include/uapi/linux kmod tools) && \
	touch $$t/MAINTAINERS && cp $(SPEC) $$t/Documentation/netlink/specs/ && \
	cp $(YNL)/genetlink-legacy.yaml $$t/Documentation/netlink/ && \
	gen() { (cd $$t && $(PYTHON3) $(YNL_GEN) --spec $(SPEC) "$$@"); } && \
	gen --mode uapi --header -o $(1)/include/uapi/linux/sessha.h && \
	gen --mode kernel --source -o $(1)/kmod/sessha-nl-gen.c && \
	gen --mode kernel --header -o $(1)/kmod/sessha-nl-gen.h && \
	$(PYTHON3) tools/nl-gen.py --source $$t/$(SPEC) $(1)/tools/sessha-nl-gen.c && \
	$(PYTHON3) tools/nl-gen.py --header $$t/$(SPEC) $(1)/tools/sessha-nl-gen.h
endef

netlink-gen: $(YNL_GEN)
	$(call netlink_gen,$(CURDIR))
	@echo "regenerated: $(NETLINK_GEN_FILES)"

netlink-check: $(YNL_GEN)
	@rm -rf $(BUILD)/netlink-check
	$(call netlink_gen,$(BUILD)/netlink-check)
	@ok=1; for f in $(NETLINK_GEN_FILES); do \
		diff -u $$f $(BUILD)/netlink-check/$$f || ok=0; done; \
	if [ $$ok = 0 ]; then \
		echo "netlink-check: generated files differ from $(SPEC) (make netlink-gen)"; \
		exit 1; fi
	@echo "netlink-check: generated files match $(SPEC)"

# kbuild's clean works with any headers; without any, remove by hand.
clean:
	@if [ -d $(KDIR) ]; then $(KMAKE) clean; else \
		rm -f Module.symvers modules.order kmod/*.{o,ko,mod,mod.c} \
			kmod/modules.order kmod/.*.cmd .*.cmd; fi
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools clean; fi
	rm -rf $(BUILD)
