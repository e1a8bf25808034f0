package dev.conduit.java.core;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two things of a compiled class that reflection cannot see, read from its class file:
 * which method parameters carry Kotlin's {@code org.jetbrains.annotations.Nullable} /
 * {@code NotNull} (class-retained, so invisible to {@code getAnnotations()}), and the
 * {@code kotlin.Metadata} annotation's {@code k}, {@code d1} and {@code d2}. A reader of just
 * the JVMS structures these need (constant pool, methods, annotations); everything else is
 * skipped.
 */
final class ClassFile {
    private static final String NULLABLE = "Lorg/jetbrains/annotations/Nullable;";
    private static final String NOT_NULL = "Lorg/jetbrains/annotations/NotNull;";

    /** Kotlin's metadata of this class, or {@code null} for a class compiled from Java. */
    final KotlinMetadata.Raw metadata;
    /** Per method ({@code name + descriptor}): which parameters are annotated {@code @Nullable}. */
    private final Map<String, Set<Integer>> nullable = new HashMap<>();
    /** Per method ({@code name + descriptor}): which parameters are annotated {@code @NotNull}. */
    private final Map<String, Set<Integer>> notNull = new HashMap<>();

    private final DataInputStream in;
    private Object[] pool;

    private ClassFile(byte[] bytes) throws IOException {
        in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort();
        in.readUnsignedShort();
        readPool();
        in.skipBytes(6); // access, this, super
        in.skipBytes(2 * in.readUnsignedShort()); // interfaces
        for (int i = 0, n = in.readUnsignedShort(); i < n; i++) { // fields
            in.skipBytes(6);
            skipAttributes();
        }
        for (int i = 0, n = in.readUnsignedShort(); i < n; i++) readMethod();
        KotlinMetadata.Raw found = null;
        for (int i = 0, n = in.readUnsignedShort(); i < n; i++) {
            String name = utf(in.readUnsignedShort());
            int length = in.readInt();
            if (name.equals("RuntimeVisibleAnnotations")) {
                for (int a = 0, count = in.readUnsignedShort(); a < count; a++) {
                    KotlinMetadata.Raw m = readAnnotation();
                    if (m != null) found = m;
                }
            } else {
                in.skipBytes(length);
            }
        }
        metadata = found;
    }

    /** Reads the class file of {@code type} from its class loader. */
    static ClassFile of(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        try (var stream = type.getClassLoader().getResourceAsStream(resource)) {
            if (stream == null) throw new IOException("no class file for " + type.getName());
            return new ClassFile(stream.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether parameter {@code index} of the method {@code nameAndDescriptor} is annotated {@code @Nullable}. */
    boolean isNullable(String nameAndDescriptor, int index) {
        return nullable.getOrDefault(nameAndDescriptor, Set.of()).contains(index);
    }

    /** Whether parameter {@code index} of the method {@code nameAndDescriptor} is annotated {@code @NotNull}. */
    boolean isNotNull(String nameAndDescriptor, int index) {
        return notNull.getOrDefault(nameAndDescriptor, Set.of()).contains(index);
    }

    private void readPool() throws IOException {
        pool = new Object[in.readUnsignedShort()];
        for (int i = 1; i < pool.length; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 3 -> pool[i] = in.readInt();
                case 4 -> in.skipBytes(4);
                case 5, 6 -> { in.skipBytes(8); i++; }
                case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                case 15 -> in.skipBytes(3);
                case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
    }

    private String utf(int index) {
        return (String) pool[index];
    }

    private void skipAttributes() throws IOException {
        for (int i = 0, n = in.readUnsignedShort(); i < n; i++) {
            in.skipBytes(2);
            in.skipBytes(in.readInt());
        }
    }

    private void readMethod() throws IOException {
        in.skipBytes(2);
        String key = utf(in.readUnsignedShort()) + utf(in.readUnsignedShort());
        for (int i = 0, n = in.readUnsignedShort(); i < n; i++) {
            String name = utf(in.readUnsignedShort());
            int length = in.readInt();
            if (name.equals("RuntimeInvisibleParameterAnnotations") || name.equals("RuntimeVisibleParameterAnnotations")) {
                int parameters = in.readUnsignedByte();
                for (int p = 0; p < parameters; p++) {
                    for (int a = 0, count = in.readUnsignedShort(); a < count; a++) {
                        String type = utf(in.readUnsignedShort());
                        skipPairs();
                        if (type.equals(NULLABLE)) nullable.computeIfAbsent(key, k -> new HashSet<>()).add(p);
                        if (type.equals(NOT_NULL)) notNull.computeIfAbsent(key, k -> new HashSet<>()).add(p);
                    }
                }
            } else {
                in.skipBytes(length);
            }
        }
    }

    /** Reads one annotation: {@code kotlin.Metadata}'s values, or {@code null} after skipping any other. */
    private KotlinMetadata.Raw readAnnotation() throws IOException {
        String type = utf(in.readUnsignedShort());
        if (!type.equals("Lkotlin/Metadata;")) {
            skipPairs();
            return null;
        }
        int kind = 1; // Metadata.k's default
        List<String> d1 = List.of();
        List<String> d2 = List.of();
        for (int i = 0, n = in.readUnsignedShort(); i < n; i++) {
            String name = utf(in.readUnsignedShort());
            switch (name) {
                case "k" -> { in.readUnsignedByte(); kind = (Integer) pool[in.readUnsignedShort()]; }
                case "d1" -> d1 = readStrings();
                case "d2" -> d2 = readStrings();
                default -> skipValue();
            }
        }
        return new KotlinMetadata.Raw(kind, d1, d2);
    }

    private List<String> readStrings() throws IOException {
        if (in.readUnsignedByte() != '[') throw new IOException("kotlin.Metadata: an array was expected");
        List<String> strings = new ArrayList<>();
        for (int i = 0, n = in.readUnsignedShort(); i < n; i++) {
            in.readUnsignedByte();
            strings.add(utf(in.readUnsignedShort()));
        }
        return strings;
    }

    private void skipPairs() throws IOException {
        for (int i = 0, n = in.readUnsignedShort(); i < n; i++) {
            in.skipBytes(2);
            skipValue();
        }
    }

    private void skipValue() throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 'e' -> in.skipBytes(4);
            case '@' -> { in.skipBytes(2); skipPairs(); }
            case '[' -> { for (int i = 0, n = in.readUnsignedShort(); i < n; i++) skipValue(); }
            default -> in.skipBytes(2);
        }
    }
}
