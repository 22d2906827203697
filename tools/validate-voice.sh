#!/usr/bin/env bash
# Compares Chakrai's voice features with Praat's on recordings made here: speech synthesised by espeak-ng at
# three pitches and two rates, and pure tones from sox. Needs Debian's praat, espeak-ng and sox
# (apt-get install praat espeak-ng sox) and a built project (./mvnw -DskipTests install).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
text="The quick brown fox jumps over the lazy dog. I have been feeling tired and a little anxious this week, but today was better."
for p in 30 50 70; do for s in 130 175; do espeak-ng -p "$p" -s "$s" -w "$dir/speech_p${p}_s${s}.wav" "$text"; done; done
for hz in 150 220; do sox -n -r 16000 -b 16 -c 1 "$dir/tone${hz}.wav" synth 2 sine "$hz"; done
cat > "$dir/f0.praat" <<'PRAAT'
form f0
  sentence file
endform
s = Read from file: file$
p = To Pitch: 0.0, 75, 500
f0 = Get mean: 0, 0, "Hertz"
sd = Get standard deviation: 0, 0, "Hertz"
selectObject: s
pp = To PointProcess (periodic, cc): 75, 500
jit = Get jitter (local): 0, 0, 0.0001, 0.02, 1.3
selectObject: s, pp
shim = Get shimmer (local): 0, 0, 0.0001, 0.02, 1.3, 1.6
selectObject: s
h = To Harmonicity (cc): 0.01, 75, 0.1, 1.0
hnr = Get mean: 0, 0
writeInfoLine: fixed$(f0, 2), " ", fixed$(sd, 2), " ", fixed$(jit, 5), " ", fixed$(shim, 5), " ", fixed$(hnr, 2)
PRAAT
ours=$(java -cp "launcher/target/chakrai-launcher-0.1.0-SNAPSHOT.jar:launcher/target/lib/*" io.chakrai.launcher.Main \
  voice-features "$dir"/*.wav)
printf "%-20s %26s %18s %18s %18s %16s %8s %6s\n" recording "F0 mean Hz praat/ours (d%)" "F0 sd praat/ours" \
  "jitter praat/ours" "shimmer praat/ours" "HNR dB praat/ours" "syll/s" "ms/min"
while read -r name f0 sd jit shim hnr rate ms permin; do
  read -r pf0 psd pjit pshim phnr < <(praat --run "$dir/f0.praat" "$dir/$name" | tail -1)
  awk -v n="$name" -v a="$pf0" -v b="$f0" -v c="$psd" -v d="$sd" -v e="$pjit" -v f="$jit" -v g="$pshim" -v h="$shim" \
    -v i="$phnr" -v j="$hnr" -v r="$rate" -v m="$permin" \
    'BEGIN { printf "%-20s %9.2f / %7.2f (%+5.2f%%) %8.2f / %7.2f %8.5f / %7.5f %8.5f / %7.5f %7.2f / %6.2f %8.2f %6.0f\n", n, a, b, 100*(b-a)/a, c, d, e, f, g, h, i, j, r, m }'
done <<< "$ours"
rm -rf "$dir"
