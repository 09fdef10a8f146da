# SPDX-License-Identifier: GPL-2.0-or-later
#
# Makefile - Build passt, the pasta link, qrap and the tests
#
# Every top-level *.c except passt.c (main) and qrap.c goes into
# libpasst.a, which the binary and the unit tests link against.

CC ?= gcc
VERSION ?= $(shell git describe --tags --always 2>/dev/null || echo 0.1)

BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-Wformat=2 -Wshadow -Wno-missing-field-initializers \
	-fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2 \
	-DPASST_VERSION='"$(VERSION)"'
OPT_CFLAGS ?= -O2 -g
CFLAGS += $(BASE_CFLAGS) $(OPT_CFLAGS)
LDFLAGS += -pie -Wl,-z,relro -Wl,-z,now

LIB_SRCS := $(filter-out passt.c qrap.c,$(wildcard *.c))
LIB_OBJS := $(LIB_SRCS:.c=.o)
HEADERS := $(wildcard *.h)

UNIT_SRCS := $(wildcard test/unit/*_test.c)
UNIT_BINS := $(UNIT_SRCS:.c=)
HELPER_SRCS := $(wildcard test/helpers/*.c)
HELPER_BINS := $(HELPER_SRCS:.c=)

.PHONY: all clean check unit-tests helpers install

all: passt pasta $(if $(wildcard qrap.c),qrap)

%.o: %.c $(HEADERS)
	$(CC) $(CFLAGS) -c -o $@ $<

libpasst.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

passt: passt.o libpasst.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ passt.o libpasst.a

pasta: passt
	ln -sf passt pasta

qrap: qrap.c $(HEADERS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ qrap.c

test/unit/%_test: test/unit/%_test.c test/unit/unit.h libpasst.a $(HEADERS)
	$(CC) $(CFLAGS) -I. $(LDFLAGS) -o $@ $< libpasst.a

test/helpers/%: test/helpers/%.c $(HEADERS)
	$(CC) $(CFLAGS) -I. $(LDFLAGS) -o $@ $<

unit-tests: $(UNIT_BINS)
helpers: $(HELPER_BINS)

check: all unit-tests helpers
	./test/run.sh

clean:
	rm -f passt pasta qrap *.o libpasst.a $(UNIT_BINS) $(HELPER_BINS)

# Helpers that compile product files in
test/helpers/nltest: netlink.c
