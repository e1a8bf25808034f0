package dev.conduit.java.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What Kotlin's {@code kotlin.Metadata} says about visibility, which the class file does not:
 * Kotlin's {@code internal} (and {@code @PublishedApi internal}) classes, constructors and
 * top-level functions are {@code public} in bytecode, so only the metadata tells them apart.
 * Decodes just the protobuf fields this needs (Kotlin's {@code metadata.proto} and
 * {@code jvm_metadata.proto}): class flags, and each constructor's, function's and property
 * accessor's flags, name and JVM signature.
 */
final class KotlinMetadata {
    /** {@code kotlin.Metadata.k}: a class (with its members). */
    static final int CLASS = 1;
    /** {@code kotlin.Metadata.k}: a file facade (top-level functions and properties). */
    static final int FILE = 2;
    /** {@code kotlin.Metadata.k}: a synthetic class (lambdas, {@code $DefaultImpls}, {@code $WhenMappings}). */
    static final int SYNTHETIC = 3;
    /** {@code kotlin.Metadata.k}: a multi-file class part. */
    static final int MULTI_FILE_PART = 5;

    private static final int PUBLIC = 3; // ProtoBuf.Visibility.PUBLIC
    private static final int DEFAULT_FLAGS = 6; // public final: the flags a message has when it writes none
    private static final int JVM_SIGNATURE = 100; // the JVM extension field on functions, constructors and properties

    /** The annotation's raw values, as the class file holds them. */
    record Raw(int kind, List<String> d1, List<String> d2) {}

    final int kind;
    /** For a class: whether Kotlin declares it {@code public} (or {@code protected}). */
    final boolean publicClass;
    /**
     * The members Kotlin declares non-public, each as {@code name + descriptor} when the metadata
     * records the JVM signature and as {@code name/arity} when it leaves it to be derived (it does
     * for signatures with nothing to mangle); a constructor's name is {@code <init>}.
     */
    private final Set<String> hidden = new HashSet<>();

    private final List<String> strings;
    private final List<int[]> records = new ArrayList<>(); // per string index: {predefined?, operation, begin, end, from, to}
    private final List<String> recordStrings = new ArrayList<>();

    KotlinMetadata(Raw raw) {
        kind = raw.kind();
        strings = raw.d2();
        if (kind != CLASS && kind != FILE && kind != MULTI_FILE_PART) {
            publicClass = kind != SYNTHETIC;
            return;
        }
        Reader r = new Reader(bytes(raw.d1()));
        readStringTable(new Reader(r.bytes()));
        int flags = DEFAULT_FLAGS;
        int functions = kind == CLASS ? 9 : 3;
        int properties = kind == CLASS ? 10 : 4;
        while (r.more()) {
            int tag = r.varint();
            int field = tag >>> 3;
            if (kind == CLASS && field == 1) flags = r.varint();
            else if (kind == CLASS && field == 8) readConstructor(new Reader(r.bytes()));
            else if (field == functions) readFunction(new Reader(r.bytes()));
            else if (field == properties) readProperty(new Reader(r.bytes()));
            else r.skip(tag);
        }
        publicClass = visibility(flags) == PUBLIC || visibility(flags) == 2;
    }

    /** Whether Kotlin declares the member {@code name} with this JVM descriptor and arity non-public. */
    boolean isHidden(String name, String descriptor, int arity) {
        return hidden.contains(name + descriptor) || hidden.contains(name + "/" + arity);
    }

    private static int visibility(int flags) {
        return (flags >>> 1) & 7;
    }

    /** {@code BitEncoding.decodeBytes} in its UTF-8 mode (a leading {@code \u0000}): one byte per char. */
    private static byte[] bytes(List<String> d1) {
        StringBuilder all = new StringBuilder();
        d1.forEach(all::append);
        if (all.length() == 0 || all.charAt(0) != '\u0000') {
            throw new IllegalStateException("kotlin.Metadata.d1 is not in UTF-8 mode; this reader knows only that mode");
        }
        byte[] bytes = new byte[all.length() - 1];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) all.charAt(i + 1);
        return bytes;
    }

    /** {@code JvmProtoBuf.StringTableTypes}: records (field 1) say how string index i maps onto d2. */
    private void readStringTable(Reader r) {
        while (r.more()) {
            int tag = r.varint();
            if (tag >>> 3 != 1) { r.skip(tag); continue; }
            Reader rec = new Reader(r.bytes());
            int range = 1;
            int[] ops = {0, 0, -1, -1, -1, -1};
            String string = null;
            while (rec.more()) {
                int t = rec.varint();
                switch (t >>> 3) {
                    case 1 -> range = rec.varint();
                    case 2 -> { rec.varint(); ops[0] = 1; }
                    case 3 -> ops[1] = rec.varint();
                    case 4 -> readPair(rec, t, ops, 2);
                    case 5 -> readPair(rec, t, ops, 4);
                    case 6 -> string = new String(rec.bytes(), java.nio.charset.StandardCharsets.UTF_8);
                    default -> rec.skip(t);
                }
            }
            for (int i = 0; i < range; i++) {
                records.add(ops);
                recordStrings.add(string);
            }
        }
    }

    /** A repeated pair (packed or not) into {@code into[at]}, {@code into[at + 1]}. */
    private static void readPair(Reader r, int tag, int[] into, int at) {
        Reader packed = (tag & 7) == 2 ? new Reader(r.bytes()) : null;
        do {
            int value = packed != null ? packed.varint() : r.varint();
            if (into[at] < 0) into[at] = value;
            else into[at + 1] = value;
        } while (packed != null && packed.more());
    }

    /** {@code JvmNameResolver.getString}: d2[index] after its record's substring, replace and operation. */
    private String string(int index) {
        int[] ops = index < records.size() ? records.get(index) : new int[] {0, 0, -1, -1, -1, -1};
        String s = index < recordStrings.size() && recordStrings.get(index) != null ? recordStrings.get(index)
                : ops[0] == 1 ? null : strings.get(index);
        if (s == null) return "?predefined" + index;
        if (ops[2] >= 0) s = s.substring(ops[2], ops[3]);
        if (ops[4] >= 0) s = s.replace((char) ops[4], (char) ops[5]);
        if (ops[1] == 2 && s.length() >= 2) s = s.substring(1, s.length() - 1);
        if (ops[1] >= 1) s = s.replace('$', '.');
        return s;
    }

    /** {@code ProtoBuf.Constructor}: flags 1, value_parameter 2, JVM signature 100. */
    private void readConstructor(Reader r) {
        int flags = DEFAULT_FLAGS;
        int arity = 0;
        String descriptor = null;
        while (r.more()) {
            int tag = r.varint();
            switch (tag >>> 3) {
                case 1 -> flags = r.varint();
                case 2 -> { r.bytes(); arity++; }
                case JVM_SIGNATURE -> descriptor = signature(new Reader(r.bytes()))[1];
                default -> r.skip(tag);
            }
        }
        if (visibility(flags) != PUBLIC) hide("<init>", descriptor, arity);
    }

    /** {@code ProtoBuf.Function}: flags 9, name 2, receiver 5/8, value_parameter 6, context receivers 10/11, JVM signature 100. */
    private void readFunction(Reader r) {
        int flags = DEFAULT_FLAGS;
        int arity = 0;
        String name = null;
        String[] signature = {null, null};
        while (r.more()) {
            int tag = r.varint();
            switch (tag >>> 3) {
                case 9 -> flags = r.varint();
                case 2 -> name = string(r.varint());
                case 5, 6, 10 -> { r.bytes(); arity++; }
                case 8, 11 -> { r.varint(); arity++; }
                case JVM_SIGNATURE -> signature = signature(new Reader(r.bytes()));
                default -> r.skip(tag);
            }
        }
        if (visibility(flags) != PUBLIC) hide(signature[0] != null ? signature[0] : name, signature[1], arity);
    }

    /** {@code ProtoBuf.Property}: flags 11, name 2, getter/setter flags 7/8, JVM signature 100 (getter 3, setter 4). */
    private void readProperty(Reader r) {
        int flags = 518; // Property.flags' default
        Integer getterFlags = null;
        Integer setterFlags = null;
        String[] getter = {null, null};
        String[] setter = {null, null};
        while (r.more()) {
            int tag = r.varint();
            switch (tag >>> 3) {
                case 11 -> flags = r.varint();
                case 7 -> getterFlags = r.varint();
                case 8 -> setterFlags = r.varint();
                case JVM_SIGNATURE -> {
                    Reader s = new Reader(r.bytes());
                    while (s.more()) {
                        int t = s.varint();
                        if (t >>> 3 == 3) getter = signature(new Reader(s.bytes()));
                        else if (t >>> 3 == 4) setter = signature(new Reader(s.bytes()));
                        else s.skip(t);
                    }
                }
                default -> r.skip(tag);
            }
        }
        if (getter[0] != null && visibility(getterFlags != null ? getterFlags : flags) != PUBLIC) hide(getter[0], getter[1], -1);
        if (setter[0] != null && visibility(setterFlags != null ? setterFlags : flags) != PUBLIC) hide(setter[0], setter[1], -1);
    }

    /** {@code JvmProtoBuf.JvmMethodSignature}: name 1, desc 2; either may be absent. */
    private String[] signature(Reader r) {
        String[] nameAndDescriptor = {null, null};
        while (r.more()) {
            int tag = r.varint();
            if (tag >>> 3 == 1) nameAndDescriptor[0] = string(r.varint());
            else if (tag >>> 3 == 2) nameAndDescriptor[1] = string(r.varint());
            else r.skip(tag);
        }
        return nameAndDescriptor;
    }

    private void hide(String name, String descriptor, int arity) {
        hidden.add(descriptor != null ? name + descriptor : name + "/" + arity);
    }

    /** A protobuf wire-format reader over one message. */
    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean more() {
            return at < bytes.length;
        }

        int varint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) return (int) value;
            }
        }

        byte[] bytes() {
            int length = varint();
            byte[] out = java.util.Arrays.copyOfRange(bytes, at, at + length);
            at += length;
            return out;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> at += 8;
                case 2 -> bytes();
                case 5 -> at += 4;
                default -> throw new IllegalStateException("protobuf wire type " + (tag & 7));
            }
        }
    }
}
