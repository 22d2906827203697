package io.chakrai.models.voice;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * A recording as mono samples in [-1, 1], read with the JDK's own WAV reader (javax.sound.sampled).
 * Only uncompressed PCM is accepted, within the limits a voice check needs; anything else is a
 * {@link InvalidAudioException} whose message says what is wrong.
 *
 * @param samples mono samples, channels averaged
 * @param sampleRate samples per second
 */
public record WavAudio(double[] samples, float sampleRate) {
    public static final double MIN_SECONDS = 1;
    public static final double MAX_SECONDS = 120;

    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    /** The recording could not be used; the message names why. */
    public static final class InvalidAudioException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidAudioException(String message) {
            super(message);
        }
    }

    public static WavAudio read(byte[] bytes) throws InvalidAudioException {
        if (bytes.length < 44
                || bytes[0] != 'R'
                || bytes[1] != 'I'
                || bytes[2] != 'F'
                || bytes[3] != 'F'
                || bytes[8] != 'W'
                || bytes[9] != 'A'
                || bytes[10] != 'V'
                || bytes[11] != 'E') {
            throw new InvalidAudioException("not a WAV file (no RIFF/WAVE header)");
        }
        try (InputStream raw = new BufferedInputStream(new ByteArrayInputStream(bytes));
                AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat f = in.getFormat();
            boolean pcm =
                    f.getEncoding() == AudioFormat.Encoding.PCM_SIGNED
                            || f.getEncoding() == AudioFormat.Encoding.PCM_UNSIGNED;
            if (!pcm) {
                throw new InvalidAudioException(
                        "only uncompressed PCM WAV is accepted, not " + f.getEncoding());
            }
            int bits = f.getSampleSizeInBits();
            if (bits != 8 && bits != 16 && bits != 24) {
                throw new InvalidAudioException(
                        "PCM with 8, 16 or 24 bits per sample is accepted, not " + bits);
            }
            if (f.getChannels() < 1 || f.getChannels() > 2) {
                throw new InvalidAudioException(
                        "mono or stereo is accepted, not " + f.getChannels() + " channels");
            }
            if (f.getSampleRate() < 8_000 || f.getSampleRate() > 48_000) {
                throw new InvalidAudioException(
                        "sample rate must be 8,000-48,000 Hz, not " + (int) f.getSampleRate());
            }
            byte[] data = in.readAllBytes();
            int bytesPer = bits / 8;
            int frame = bytesPer * f.getChannels();
            int n = data.length / frame;
            double seconds = n / (double) f.getSampleRate();
            if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
                throw new InvalidAudioException(
                        String.format(
                                Locale.ROOT,
                                "the recording is %.1f s long; %d-%d s are accepted",
                                seconds,
                                (int) MIN_SECONDS,
                                (int) MAX_SECONDS));
            }
            double[] out = new double[n];
            double full = Math.pow(2, bits - 1);
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int c = 0; c < f.getChannels(); c++) {
                    int o = i * frame + c * bytesPer;
                    long v = 0;
                    if (f.isBigEndian()) {
                        for (int b = 0; b < bytesPer; b++) {
                            v = (v << 8) | (data[o + b] & 0xff);
                        }
                    } else {
                        for (int b = bytesPer - 1; b >= 0; b--) {
                            v = (v << 8) | (data[o + b] & 0xff);
                        }
                    }
                    if (f.getEncoding() == AudioFormat.Encoding.PCM_UNSIGNED) {
                        v -= (long) full;
                    } else if (v >= full) {
                        v -= 2 * (long) full;
                    }
                    sum += v / full;
                }
                out[i] = sum / f.getChannels();
            }
            return new WavAudio(out, f.getSampleRate());
        } catch (UnsupportedAudioFileException e) {
            throw new InvalidAudioException("not a readable WAV file: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidAudioException("the WAV file is truncated or damaged");
        }
    }
}
