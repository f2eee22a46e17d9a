#!/usr/bin/env bash
# Makes every prompt the call flows play, as 8 kHz mono 16-bit WAV in sounds/.
# Speech comes from espeak-ng; sox converts without dither (-D) so that the output is
# byte-for-byte reproducible and the committed WAVs only change when a text changes.
# Usage: bash scripts/make-prompts.sh   (needs espeak-ng and sox)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${here}/sounds"
tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
mkdir -p "${out}"

voice="en-gb"
speed=160

# Final format: 8 kHz, mono, signed 16-bit, no dither.
convert() { sox -D "$1" -r 8000 -c 1 -b 16 -e signed-integer "$2" ${3:-}; }

# say NAME "text": a spoken prompt.
say() {
  espeak-ng -v "${voice}" -s "${speed}" -w "${tmp}/$1.raw.wav" "$2"
  convert "${tmp}/$1.raw.wav" "${out}/$1.wav" "norm -3"
}

# tone NAME sox-synth-args...: a generated tone.
tone() {
  local name="$1"; shift
  sox -D -n -r 8000 -c 1 -b 16 -e signed-integer "${out}/${name}.wav" "$@"
}

say welcome "Welcome to the conference service."
say enter-pin "Please enter your conference PIN, followed by the hash key."
say pin-invalid "That PIN is not valid."
say goodbye "Goodbye."
say temporarily-unavailable "This service is temporarily unavailable. Please try again later."
say service-closing "This service is closing for maintenance. Your call will end shortly. Please call back in a few minutes."
say wait-for-host "Please wait. The conference will begin when the host joins."
say room-locked "This conference is locked."
say confirm-end-conference "To end the conference for everyone, press the same key again."
say room-full "This conference is full."
say joined-count "There are"
say participants "participants in the conference."
say participant "participant in the conference."
say you-are-muted "You are muted."
say you-are-unmuted "You are unmuted."
say muted-by-host "You have been muted by the host."
say unmuted-by-host "The host has unmuted you."
say hand-raised "Your hand is raised."
say hand-lowered "Your hand is lowered."
say host-only-key "That key is for hosts."
# Keypad help is spoken from the key map in force, one fragment per key: "Press" <key> <action>.
say press "Press"
say key-star "star"
say key-hash "hash"
say help-toggle-self-mute "to mute or unmute yourself."
say help-toggle-hand "to raise or lower your hand."
say help-hear-count "to hear how many are on the call."
say help-help "to hear these keys again."
say help-toggle-mute-all "to mute or unmute everyone but the hosts."
say help-toggle-lock "to lock or unlock the conference."
say help-end-conference "to end the conference for everyone."
say help-enter-billing-code "to enter a billing code, then the hash key."
say help-toggle-recording "to start or stop recording the conference."
say help-toggle-recording-pause "to pause or resume the recording."
say help-dial-out "to call someone into the conference: the number, then the hash key."
say help-host-keys "Host keys."
say removed-by-host "You have been removed from the conference."
say only-person "You are the only person in the conference."
say conference-locked "The conference is now locked."
say conference-unlocked "The conference is now unlocked."
say all-muted "All participants are muted."
say all-unmuted "All participants are unmuted."
say conference-ending "The conference is ending. Goodbye."
say has-joined "has joined."
say has-left "has left."
say a-caller "A caller"
say you-are-on-hold "You are on hold."
say recording-started-notice "This conference is being recorded."
say recording-started "Recording has started."
say recording-paused "The recording is paused."
say recording-resumed "Recording is back on."
say recording-stopped "Recording is now off."
say recording-failed "Recording stopped because of a fault. What was recorded is kept."
# Numbers are spoken from these words (see src/domain/spoken-number.ts): 0-20, the tens,
# "hundred", "thousand" and "and" (British: "one hundred and five").
for n in $(seq 0 20) 30 40 50 60 70 80 90; do say "number-${n}" "${n}"; done
say number-hundred "hundred"
say number-thousand "thousand"
say number-and "and"
say you-said "You said:"
say keep-or-record-again "Press 1 to keep your name, or 2 to record it again."
say enter-billing-code "Please enter the billing code, followed by the hash key."

# Dial-out (issue 9): what the guest hears when the host calls them, and what the host hears.
say dial-invites-you "invites you to a conference call."
say dial-you-are-invited "You are invited to a conference call."
say dial-press-1 "Press 1 to join. To decline, hang up."
say dial-enter-number "Enter the number to call, followed by the hash key. Press star to cancel."
say dial-calling "Calling."
say dial-cancelled "The call was cancelled."
say dial-busy "The number is busy."
say dial-no-answer "There was no answer."
say dial-declined "The call was not accepted."
say dial-rejected "The call could not be connected."
say dial-refused "That number cannot be called from this conference."
say dial-invalid-number "That is not a number that can be called."

# say-name: the instruction, then a short beep at 1 kHz.
espeak-ng -v "${voice}" -s "${speed}" -w "${tmp}/say-name.raw.wav" "Please say your name after the tone, then press hash."
convert "${tmp}/say-name.raw.wav" "${tmp}/say-name.speech.wav" "norm -3"
sox -D -n -r 8000 -c 1 -b 16 -e signed-integer "${tmp}/gap.wav" trim 0 0.3
sox -D -n -r 8000 -c 1 -b 16 -e signed-integer "${tmp}/beep.wav" synth 0.25 sine 1000 gain -6
sox -D "${tmp}/say-name.speech.wav" "${tmp}/gap.wav" "${tmp}/beep.wav" "${out}/say-name.wav"

# Entry and exit tones: a rising and a falling pair of short beeps.
tone entry-tone synth 0.12 sine 660 gain -8 : synth 0.12 sine 880 gain -8
tone exit-tone synth 0.12 sine 880 gain -8 : synth 0.12 sine 660 gain -8
# The periodic recording reminder (an account setting): one short, soft 1400 Hz tone.
tone recording-reminder synth 0.2 sine 1400 gain -12

# Hold music: a soft, slow arpeggio of four chords, ~10 s, that loops without a click.
notes=(261.63 329.63 392.00 329.63 220.00 261.63 329.63 261.63 174.61 220.00 261.63 220.00 196.00 246.94 293.66 246.94)
parts=()
i=0
for f in "${notes[@]}"; do
  sox -D -n -r 8000 -c 1 -b 16 -e signed-integer "${tmp}/n${i}.wav" synth 0.625 sine "${f}" sine "$(echo "${f} * 2" | bc -l)" remix 1,2 fade q 0.02 0.625 0.2 gain -14
  parts+=("${tmp}/n${i}.wav")
  i=$((i + 1))
done
sox -D "${parts[@]}" "${out}/hold-music.wav"

echo "prompts written to ${out}: $(ls "${out}"/*.wav | wc -l) files, $(du -sh "${out}" | cut -f1)"
