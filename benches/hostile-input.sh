#!/usr/bin/env bash
# Feeds a causeway binary the hostile inputs docs/security.md guards against, one line each:
# what the build did with them and, for the inputs that once took super-linear time, how long
# `check` took. Compare two builds of Causeway: bash benches/hostile-input.sh BIN THEMES_DIR
# (THEMES_DIR: the themes/ folder that goes with BIN). Needs bash, python3, bc and unshare.
BIN=$1
W=$(mktemp -d)
THEMES=$2
newsite() { rm -rf "$W/s"; mkdir -p "$W/s/content"; cp -r $THEMES "$W/s/"; printf 'title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: en\ntheme: default\n' > "$W/s/site.yaml"; printf -- '---\ntitle: A\ndescription: D\n---\nBody.\n' > "$W/s/content/a.md"; }
cd "$W"
# 1
newsite; printf -- '---\ntitle: F\ndescription: D\n---\n## Focus me {tabindex=0 autofocus onfocus=alert(1)}\n' > s/content/f.md
(cd s && $BIN build >/dev/null 2>&1); echo "item 1: onfocus in output: $(grep -c onfocus s/public/f/index.html 2>/dev/null)"; echo "        check says: $(cd s && $BIN check 2>&1 | grep -c heading-attribute) heading-attribute warnings"
# 2
newsite; mkdir -p "$W/elsewhere"; echo keep > "$W/elsewhere/precious.txt"; ln -s "$W/elsewhere" s/public
(cd s && $BIN build >/dev/null 2>&1); echo "item 2: rc=$? precious.txt still there: $(test -f $W/elsewhere/precious.txt && echo yes || echo NO)"
# 3
newsite; printf -- '---\ntitle: S\ndescription: D\nsources:\n  - { title: x, url: "  JaVaScRiPt:alert(1)" }\n---\n' > s/content/src.md
(cd s && $BIN build >/dev/null 2>&1); echo "item 3: build rc=$?, javascript href in output: $(grep -ci 'href="  javascript' s/public/src/index.html 2>/dev/null)"
# 4
newsite; (cd s && $BIN build --output site.yaml >/dev/null 2>&1); echo "item 4: rc=$?, site.yaml is a $(test -d s/site.yaml && echo FOLDER || echo file)"
# 5
newsite; ln -s "$W/s/content" s/clink; (cd s && $BIN build --output clink/sub >/dev/null 2>&1); echo "item 5: rc=$?, content/sub exists: $(test -e s/content/sub && echo YES || echo no)"
# 6
for n in 10000 20000; do newsite; { printf -- '---\ntitle: H\ndescription: D\n---\n'; for i in $(seq $n); do printf '## Causes\n\n'; done; } > s/content/h.md
 t0=$(date +%s.%N); (cd s && timeout 120 $BIN check >/dev/null 2>&1); rc=$?; t1=$(date +%s.%N); echo "item 6: check with $n identical headings: $(echo "$t1 - $t0" | bc) s (rc=$rc)"; done
# 7
for n in 20000 100000; do newsite; { printf -- '---\ntitle: Y\ndescription: D\nextra: '; head -c $((n*4)) < /dev/zero | tr '\0' 'x' | sed 's/xxxx/{a: /g'; printf '\n---\n'; } > s/content/y.md
 t0=$(date +%s.%N); (cd s && timeout 120 $BIN check >/dev/null 2>&1); rc=$?; t1=$(date +%s.%N); echo "item 7: front matter with $n nested '{a: ': $(echo "$t1 - $t0" | bc) s (rc=$rc)"; done
newsite; { printf 'title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: en\ntheme: default\nsearch: '; head -c 100000 < /dev/zero | tr '\0' '['; printf '\n'; } > s/site.yaml
 t0=$(date +%s.%N); (cd s && timeout 120 $BIN check >/dev/null 2>&1); rc=$?; t1=$(date +%s.%N); echo "item 7: site.yaml with 100000 '[': $(echo "$t1 - $t0" | bc) s (rc=$rc)"
# 9
newsite; mkdir -p s/content/Causes; printf -- '---\ntitle: C\ndescription: D\n---\n' > s/content/Causes/b.md
(cd s && $BIN build >/dev/null 2>&1); echo "item 9: Causes/ folder: build rc=$?"
# 10
newsite; printf -- '---\ntitle: C\ndescription: D\naliases: [/style.css/]\n---\n' > s/content/c.md
(cd s && $BIN check >/dev/null 2>&1); c=$?; (cd s && $BIN build > $W/o10 2>&1); b=$?; echo "item 10: alias onto style.css: check rc=$c, build rc=$b, names the alias: $(grep -c 'style.css/' $W/o10)"
newsite; printf 'pagination:\n  per_page: 1\n' >> s/site.yaml; mkdir -p s/content/sec/page; for x in a b; do printf -- '---\ntitle: %s\ndescription: D\n---\n' $x > s/content/sec/$x.md; done; printf -- '---\ntitle: Two\ndescription: D\n---\n' > s/content/sec/page/2.md
(cd s && $BIN build >/dev/null 2>&1); echo "item 10: article at sec/page/2/: build rc=$? (0 = silent clash)"
# 11
newsite; mkdir -p "s/content/Skin Care"; printf -- '---\ntitle: K\ndescription: D\n---\n![rash](photo.svg)\n' > "s/content/Skin Care/k.md"; echo '<svg/>' > "s/content/Skin Care/photo.svg"
(cd s && $BIN build >/dev/null 2>&1); src=$(grep -o 'src="[^"]*photo.svg"' s/public/skin-care/k/index.html); echo "item 11: img $src; file at that path: $(test -f "s/public$(echo $src | sed 's/src="//;s/"$//;s/%20/ /g')" && echo yes || echo NO)"
# 12
newsite; printf -- '---\ntitle: "Ctl\\x01"\ndescription: D\ndate: 2026-01-01\n---\n' > s/content/ctl.md
(cd s && $BIN build >/dev/null 2>&1); rc=$?; echo "item 12: build rc=$rc, atom.xml: $(test -f s/public/atom.xml && (python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1]); print(\"valid\")" s/public/atom.xml 2>/dev/null || echo INVALID) || echo "not written")"
# 13
newsite; for i in $(seq 3000); do printf -- '---\ntitle: A%s\ndescription: D\ncauses: [{ name: C%s }]\n---\n%s\n' $i $i "$(printf 'Words. %.0s' $(seq 100))" > s/content/a$i.md; done
(cd s && $BIN build >/dev/null 2>&1); (cd s && exec $BIN build >/dev/null 2>&1) & pid=$!; for k in $(seq 2000); do ls -d s/.public.building-* >/dev/null 2>&1 && break; sleep 0.005; done; sleep 0.3; kill -INT $pid; wait $pid; echo "item 13: after SIGINT rc=$?, staging folders left: $(ls -d s/.public.building-* 2>/dev/null | wc -l)"
# 14
newsite; for i in $(seq 1500); do printf -- '---\ntitle: A\ndescription: D\ncauses: [{ name: G, group: N }]\n---\nB.\n' > s/content/w$i.md; done
(cd s && bash -c "$BIN check 2>&1 | head -1 >/dev/null; echo \${PIPESTATUS[0]}" > $W/o14); echo "item 14: check | head -1 exit status: $(cat $W/o14)"
# 15
newsite; for i in $(seq 200); do printf -- '---\ntitle: A\ndescription: D\n---\nB.\n' > s/content/d$i.md; done; mkdir -p $W/disk
(cd s && unshare --user --map-root-user --mount sh -c "mount -t tmpfs -o size=256k tmpfs $W/disk && NO_COLOR=1 $BIN build --output $W/disk/site" > $W/o15 2>&1); echo "item 15: full disk: $(grep -c 'error\[' $W/o15) error lines; first: $(grep -m1 'error\[' $W/o15 | cut -c1-120)"
rm -rf "$W"
