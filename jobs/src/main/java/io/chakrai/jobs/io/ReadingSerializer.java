package io.chakrai.jobs.io;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Readings between the analytics job's operators: the source hands every reading to three keyed
 * graphs, so each is written and read three times. Flink's record serializer writes field by field
 * with null flags and builds each record again by reflection from boxed fields; this one writes the
 * fields in order, a canonical type name or unit as its one-byte code, and builds the record
 * directly. Only for streams, never for state: no job keeps readings in state with it (a savepoint
 * of one that did would not restore with another serializer).
 */
public final class ReadingSerializer extends TypeSerializerSingleton<BiometricReading> {
    private static final long serialVersionUID = 1L;
    public static final ReadingSerializer INSTANCE = new ReadingSerializer();

    /** The type to give a readings stream: {@code stream.returns(ReadingSerializer.TYPE)}. */
    public static final TypeInformation<BiometricReading> TYPE = new Type();

    // the canonical type names and units by code; code -1 is other text, written out
    private static final String[] CANONICAL = DataType.canonicalTexts().toArray(String[]::new);
    private static final Map<String, Byte> CODES = new HashMap<>();

    static {
        for (byte i = 0; i < CANONICAL.length; i++) {
            CODES.put(CANONICAL[i], i);
        }
    }

    private ReadingSerializer() {}

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public BiometricReading createInstance() {
        return null;
    }

    @Override
    public BiometricReading copy(BiometricReading from) {
        return from;
    }

    @Override
    public BiometricReading copy(BiometricReading from, BiometricReading reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(BiometricReading r, DataOutputView out) throws IOException {
        out.writeInt(r.userId());
        out.writeInt(r.deviceId());
        text(r.dataType(), out);
        out.writeDouble(r.value());
        text(r.unit(), out);
        out.writeDouble(r.quality());
        out.writeDouble(r.confidence());
        out.writeLong(r.timestamp().getEpochSecond());
        out.writeInt(r.timestamp().getNano());
        StringValue.writeString(r.metadata(), out);
        out.writeBoolean(r.history());
    }

    @Override
    public BiometricReading deserialize(DataInputView in) throws IOException {
        int user = in.readInt();
        int device = in.readInt();
        String type = text(in);
        double value = in.readDouble();
        String unit = text(in);
        double quality = in.readDouble();
        double confidence = in.readDouble();
        Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
        return new BiometricReading(
                user,
                device,
                type,
                value,
                unit,
                quality,
                confidence,
                at,
                StringValue.readString(in),
                in.readBoolean());
    }

    @Override
    public BiometricReading deserialize(BiometricReading reuse, DataInputView in)
            throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void text(String s, DataOutputView out) throws IOException {
        Byte code = s == null ? null : CODES.get(s);
        if (code != null) {
            out.writeByte(code);
        } else {
            out.writeByte(-1);
            StringValue.writeString(s, out);
        }
    }

    private static String text(DataInputView in) throws IOException {
        byte code = in.readByte();
        return code >= 0 ? CANONICAL[code] : StringValue.readString(in);
    }

    @Override
    public TypeSerializerSnapshot<BiometricReading> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: its snapshot restores the one instance. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<BiometricReading> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** A readings stream whose elements cross operators by {@link ReadingSerializer}. */
    private static final class Type extends TypeInformation<BiometricReading> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<BiometricReading> getTypeClass() {
            return BiometricReading.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<BiometricReading> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "BiometricReading (ReadingSerializer)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Type;
        }

        @Override
        public int hashCode() {
            return Type.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Type;
        }
    }
}
