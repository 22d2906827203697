package io.chakrai.jobs.io;

import io.chakrai.models.readings.BiometricReading;
import io.chakrai.models.readings.DataType;
import io.chakrai.models.readings.ReadingField;
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
 * contract's fields ({@link ReadingField}) in its order, each as its kind says, a canonical type
 * name or unit as its one-byte code, and builds the record directly. Only for streams, never for
 * state: no job keeps readings in state with it (a savepoint of one that did would not restore with
 * another serializer).
 */
public final class ReadingSerializer extends TypeSerializerSingleton<BiometricReading> {
    private static final long serialVersionUID = 1L;
    public static final ReadingSerializer INSTANCE = new ReadingSerializer();

    /** The type to give a readings stream: {@code stream.returns(ReadingSerializer.TYPE)}. */
    public static final TypeInformation<BiometricReading> TYPE = new Type();

    // the canonical type names and units by code; code -1 is other text, written out
    private static final String[] CANONICAL = DataType.canonicalTexts().toArray(String[]::new);
    private static final Map<String, Byte> CODES = new HashMap<>();
    private static final ReadingField[] FIELDS = ReadingField.values();

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

    /**
     * A reading's fields in {@link ReadingField}'s order, each as its kind is written (below), then
     * whether it is history (a flag of the record's header, not a field of the contract). The
     * switch is an expression: a field added to the contract does not compile until it is written
     * here; each writer says which kind it wrote, checked against the field's (with assertions on,
     * as in the tests). The byte layout is pinned by {@code ReadingSerializerTest}.
     */
    @Override
    public void serialize(BiometricReading r, DataOutputView out) throws IOException {
        for (ReadingField f : FIELDS) {
            ReadingField.Kind written =
                    switch (f) {
                        case USER -> integer(r.userId(), out);
                        case DEVICE -> integer(r.deviceId(), out);
                        case TYPE -> text(r.dataType(), out);
                        case VALUE -> number(r.value(), out);
                        case UNIT -> text(r.unit(), out);
                        case QUALITY -> fraction(r.quality(), out);
                        case CONFIDENCE -> fraction(r.confidence(), out);
                        case TIMESTAMP -> time(r.timestamp(), out);
                        case METADATA -> object(r.metadata(), out);
                    };
            assert written == f.kind() : f + " written as " + written;
        }
        out.writeBoolean(r.history());
    }

    /**
     * Reads what {@link #serialize} wrote, in its order. A field added to the contract is a new
     * component of the record, so this call does not compile until it is read here too; the round
     * trip of every field is tested ({@code ReadingSerializerTest}).
     */
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

    // how each kind is written: whole numbers as four bytes, numbers and fractions as eight, a time
    // as its seconds and nanoseconds, an object as its JSON text (null allowed), text as a
    // canonical type name's or unit's one-byte code or, code -1, written out

    private static ReadingField.Kind integer(int v, DataOutputView out) throws IOException {
        out.writeInt(v);
        return ReadingField.Kind.INTEGER;
    }

    private static ReadingField.Kind number(double v, DataOutputView out) throws IOException {
        out.writeDouble(v);
        return ReadingField.Kind.NUMBER;
    }

    private static ReadingField.Kind fraction(double v, DataOutputView out) throws IOException {
        out.writeDouble(v);
        return ReadingField.Kind.FRACTION;
    }

    private static ReadingField.Kind time(Instant at, DataOutputView out) throws IOException {
        out.writeLong(at.getEpochSecond());
        out.writeInt(at.getNano());
        return ReadingField.Kind.TIME;
    }

    private static ReadingField.Kind object(String json, DataOutputView out) throws IOException {
        StringValue.writeString(json, out);
        return ReadingField.Kind.OBJECT;
    }

    private static ReadingField.Kind text(String s, DataOutputView out) throws IOException {
        Byte code = s == null ? null : CODES.get(s);
        if (code != null) {
            out.writeByte(code);
        } else {
            out.writeByte(-1);
            StringValue.writeString(s, out);
        }
        return ReadingField.Kind.TEXT;
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
