#!/bin/sh
# The kernel's tools/testing/selftests/exec/binfmt_script.py, ported: the
# same 27 "#!" lines (sizes around BINPRM_BUF_SIZE = 256, leading blanks,
# truncated paths and arguments), run by uexec; each must succeed or fail
# as on Linux >= 5.1.  The kernel running this test is asked too: if it
# disagrees (Linux < 5.1 does), that is reported as a diagnostic.
. "$top_srcdir/tests/handlers/lib.sh"

SIZE=256
NAME_MAX=$(getconf NAME_MAX . 2>/dev/null || echo 255)
kernel_disagrees=0

# A fake "perl": a script that says it ran.
CODE='#!/bin/busybox sh
echo "Executed interpreter! Args:"
echo "0 : $0"
n=1; for a in "$@"; do echo "$n : $a"; n=$((n + 1)); done
'

rep() {	# rep CHAR N
	[ "$2" -gt 0 ] || return 0
	printf "%$2s" "" | tr ' ' "$1"
}

# t NAME SIZE GOOD [leading=] [root=] [target=] [fill=] [arg=] [newline=]
t() {
	name=$1 size=$2 good=$3; shift 3
	leading="" root="./" target="/perl" fill="A" arg="" newline="$NL"
	for kv in "$@"; do
		case $kv in
		leading=*) leading=${kv#leading=} ;;
		root=*) root=${kv#root=} ;;
		target=*) target=${kv#target=} ;;
		fill=*) fill=${kv#fill=} ;;
		arg=*) arg=${kv#arg=} ;;
		newline=*) newline=${kv#newline=} ;;
		esac
	done
	mkdir case && cd case || exit 99
	remaining=$((size - 2 - ${#leading} - ${#root} - ${#target} - ${#arg}))
	middle=""
	while [ "$remaining" -ge "$NAME_MAX" ]; do
		middle="$middle$(rep "$fill" $((NAME_MAX - 1)))/"
		remaining=$((remaining - NAME_MAX))
	done
	middle="$middle$(rep "$fill" "$remaining")"
	if [ -n "$target" ]; then
		mkdir -p "$root$middle" && printf '%s' "$CODE" > "$root$middle$target" &&
			chmod 755 "$root$middle$target" || exit 99
	fi
	script="binfmt_script-$name"
	{
		printf '#!%s%s%s%s%s%s' "$leading" "$root" "$middle" "$target" "$arg" "$newline"
		[ -n "$newline" ] && printf 'echo this is not really perl\n'
	} > "$script"
	chmod 755 "$script"

	"$UEXEC" --no-system-binfmt "./$script" > ../out 2>&1
	urc=$?
	sh -c "./$script" > ../kout 2>&1
	krc=$?
	cd .. && rm -rf case
	uok=1; [ $urc -eq 0 ] && grep -q 'Executed interpreter' out && uok=0
	kok=1; [ $krc -eq 0 ] && grep -q 'Executed interpreter' kout && kok=0
	if [ "$good" = good ]; then want=0; else want=1; fi
	if [ $uok -eq $want ]; then
		tap_ok 0 "binfmt_script $name ($good)"
	else
		tap_ok 1 "binfmt_script $name ($good; uexec rc $urc)"
		sed 's/^/#   /' out | head -5
	fi
	if [ $kok -ne $want ]; then
		kernel_disagrees=$((kernel_disagrees + 1))
		tap_diag "the running kernel ($(uname -r)) disagrees on $name"
	fi
}

### fail (8)
t too-big $((SIZE + 80)) bad
t exact $SIZE bad
t exact-space $SIZE bad leading=" "
t whitespace-too-big $((SIZE + 71)) bad root= fill=" " target=
t truncated $((SIZE + 17)) bad leading="                   "
t empty 2 bad root= fill= target= newline=
t spaces $((SIZE - 1)) bad root= fill=" " target= newline=
t newline-prefix $((SIZE - 1)) bad leading="$NL" root= fill=" " target=

### ok (19)
t test.pl 439 good leading=" " \
	root="./nix/store/bwav8kz8b3y471wjsybgzw84mrh4js9-perl-5.28.1/bin" \
	arg=" -I/nix/store/x6yyav38jgr924nkna62q3pkp0dgmzlx-perl5.28.1-File-Slurp-9999.25/lib/perl5/site_perl -I/nix/store/ha8v67sl8dac92r9z07vzr4gv1y9nwqz-perl5.28.1-Net-DBus-1.1.0/lib/perl5/site_perl -I/nix/store/dcrkvnjmwh69ljsvpbdjjdnqgwx90a9d-perl5.28.1-XML-Parser-2.44/lib/perl5/site_perl -I/nix/store/rmji88k2zz7h4zg97385bygcydrf2q8h-perl5.28.1-XML-Twig-3.52/lib/perl5/site_perl"
t one-under $((SIZE - 1)) good
t two-under $((SIZE - 2)) good
t exact-trunc-whitespace $SIZE good arg=" "
t exact-trunc-arg $SIZE good arg=" f"
t one-under-full-arg $((SIZE - 1)) good arg=" f"
t one-under-no-nl $((SIZE - 1)) good newline=
t half-under-no-nl $((SIZE / 2)) good newline=
t one-under-trunc-arg $((SIZE - 1)) good arg=" "
t one-under-leading $((SIZE - 1)) good leading=" "
t one-under-leading-trunc-arg $((SIZE - 1)) good leading=" " arg=" "
t two-under-no-nl $((SIZE - 2)) good newline=
t two-under-trunc-arg $((SIZE - 2)) good arg=" "
t two-under-leading $((SIZE - 2)) good leading=" "
t two-under-leading-trunc-arg $((SIZE - 2)) good leading=" " arg=" "
t half-no-nl $((SIZE / 2)) good newline=
t half-trunc-arg $((SIZE / 2)) good arg=" "
t half-leading $((SIZE / 2)) good leading=" "
t half-lead-trunc-arg $((SIZE / 2)) good leading=" " arg=" "

tap_diag "kernel $(uname -r) disagreed on $kernel_disagrees case(s)"
tap_done
