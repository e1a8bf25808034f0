package dev.conduit.java.core;

import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kotlin.Metadata;
import kotlin.metadata.Attributes;
import kotlin.metadata.ClassKind;
import kotlin.metadata.KmClass;
import kotlin.metadata.KmClassifier;
import kotlin.metadata.KmConstructor;
import kotlin.metadata.KmFunction;
import kotlin.metadata.KmPackage;
import kotlin.metadata.KmProperty;
import kotlin.metadata.KmType;
import kotlin.metadata.KmTypeParameter;
import kotlin.metadata.KmValueParameter;
import kotlin.metadata.Visibility;
import kotlin.metadata.jvm.JvmExtensionsKt;
import kotlin.metadata.jvm.JvmMethodSignature;
import kotlin.metadata.jvm.KotlinClassMetadata;

/**
 * What the {@code kotlin.Metadata} of a class compiled from Kotlin says that its bytecode does not,
 * read with JetBrains' kotlin-metadata-jvm: whether Kotlin declares the class, and each of its
 * constructors, functions and property accessors, {@code public} (Kotlin's {@code internal} ones are
 * {@code public} in bytecode), and which of their parameters may be null.
 *
 * <p>A declaration is found by its JVM name and descriptor, as the metadata records them. The
 * overloads {@code @JvmOverloads} generates (each drops the defaulted parameters from the last one
 * back) are found as their declaration, and so is a static copy {@code @JvmStatic} puts on a
 * companion's outer class (found in the companion's metadata). An enum class's {@code valueOf(String)},
 * which the metadata leaves out, is declared here.
 */
final class KotlinDeclarations {
    private static final Map<Class<?>, Optional<KotlinDeclarations>> READ = new ConcurrentHashMap<>();

    /** Whether Kotlin declares the class {@code public} or {@code protected}; file facades are, synthetic classes are not. */
    final boolean publicClass;
    /** The type parameters in scope of the class's members (its own, and an inner class's outer classes'), by id. */
    private final Map<Integer, KmTypeParameter> typeParameters = new HashMap<>();
    /** The declarations, by JVM name and descriptor. */
    private final Map<String, Declaration> declarations = new HashMap<>();
    /** The companion object's declarations, for the static copies on this class; {@code null} when there is none. */
    private final KotlinDeclarations companion;

    /** One declaration as the JVM sees it: whether Kotlin declares it {@code public}, and which JVM parameters may be null. */
    private record Declaration(boolean isPublic, List<Boolean> nullable) {}

    /**
     * The declarations of {@code type} (read once, then cached), or {@code null} for a class
     * compiled from Java (one without {@code kotlin.Metadata}).
     *
     * @throws IllegalArgumentException if the metadata is malformed or newer than this library reads
     */
    static KotlinDeclarations of(Class<?> type) {
        Optional<KotlinDeclarations> read = READ.get(type); // not computeIfAbsent: reading one class reads its outer and companion classes
        if (read == null) {
            read = Optional.ofNullable(type.getAnnotation(Metadata.class)).map(m -> new KotlinDeclarations(type, m));
            READ.putIfAbsent(type, read);
        }
        return read.orElse(null);
    }

    private KotlinDeclarations(Class<?> type, Metadata metadata) {
        List<Pending> pending = new ArrayList<>();
        KotlinClassMetadata read = KotlinClassMetadata.readStrict(metadata);
        if (read instanceof KotlinClassMetadata.Class c) {
            KmClass k = c.getKmClass();
            Visibility visibility = Attributes.getVisibility(k);
            publicClass = visibility == Visibility.PUBLIC || visibility == Visibility.PROTECTED;
            if (Attributes.isInner(k)) typeParameters.putAll(of(type.getEnclosingClass()).typeParameters);
            k.getTypeParameters().forEach(t -> typeParameters.put(t.getId(), t));
            for (KmConstructor constructor : k.getConstructors()) {
                pending.add(new Pending(JvmExtensionsKt.getSignature(constructor), Attributes.getVisibility(constructor),
                        parameters(typeParameters, List.of(), null, types(constructor.getValueParameters()), false),
                        defaults(0, constructor.getValueParameters())));
            }
            declare(pending, k.getFunctions(), k.getProperties());
            if (Attributes.getKind(k) == ClassKind.ENUM_CLASS) { // the compiler's valueOf(value: String), which the metadata leaves out
                pending.add(new Pending(new JvmMethodSignature("valueOf", "(Ljava/lang/String;)" + type.descriptorString()),
                        Visibility.PUBLIC, List.of(false), List.of()));
            }
            companion = k.getCompanionObject() == null ? null : of(load(type, type.getName() + "$" + k.getCompanionObject()));
        } else {
            publicClass = !(read instanceof KotlinClassMetadata.SyntheticClass);
            KmPackage p = read instanceof KotlinClassMetadata.FileFacade f ? f.getKmPackage()
                    : read instanceof KotlinClassMetadata.MultiFileClassPart part ? part.getKmPackage() : null;
            if (p != null) declare(pending, p.getFunctions(), p.getProperties());
            companion = null;
        }
        pending.forEach(d -> d.declareExact(declarations)); // first, so a generated overload never shadows a declared function
        pending.forEach(d -> d.declareOverloads(declarations));
    }

    /** Whether Kotlin declares {@code member} non-public ({@code internal}, {@code private}, {@code protected}); {@code false} if the metadata does not describe it. */
    boolean isNonPublic(Executable member) {
        Declaration d = find(member);
        return d != null && !d.isPublic();
    }

    /**
     * Whether parameter {@code index} of {@code member} may be null: Kotlin declared it nullable
     * ({@code T?}), or its type is a type parameter without a non-null bound.
     *
     * @throws IllegalStateException if the metadata does not describe {@code member}
     */
    boolean isNullable(Executable member, int index) {
        Declaration d = find(member);
        if (d == null) throw new IllegalStateException(member.toGenericString() + " is not described by its class's kotlin.Metadata");
        return d.nullable().get(index);
    }

    private Declaration find(Executable member) {
        Class<?> returns = member instanceof Method m ? m.getReturnType() : void.class;
        String key = (member instanceof Constructor ? "<init>" : member.getName())
                + MethodType.methodType(returns, member.getParameterTypes()).toMethodDescriptorString();
        Declaration d = declarations.get(key);
        return d == null && companion != null && Modifier.isStatic(member.getModifiers()) ? companion.declarations.get(key) : d;
    }

    private void declare(List<Pending> pending, List<KmFunction> functions, List<KmProperty> properties) {
        for (KmFunction f : functions) {
            Map<Integer, KmTypeParameter> scope = scope(f.getTypeParameters());
            int leading = f.getContextParameters().size() + (f.getReceiverParameterType() == null ? 0 : 1);
            pending.add(new Pending(JvmExtensionsKt.getSignature(f), Attributes.getVisibility(f),
                    parameters(scope, types(f.getContextParameters()), f.getReceiverParameterType(), types(f.getValueParameters()),
                            Attributes.isSuspend(f)),
                    defaults(leading, f.getValueParameters())));
        }
        for (KmProperty p : properties) {
            Map<Integer, KmTypeParameter> scope = scope(p.getTypeParameters());
            List<KmType> context = types(p.getContextParameters());
            pending.add(new Pending(JvmExtensionsKt.getGetterSignature(p), Attributes.getVisibility(p.getGetter()),
                    parameters(scope, context, p.getReceiverParameterType(), List.of(), false), List.of()));
            if (p.getSetter() != null) {
                KmType value = p.getSetterParameter() != null ? p.getSetterParameter().getType() : p.getReturnType();
                pending.add(new Pending(JvmExtensionsKt.getSetterSignature(p), Attributes.getVisibility(p.getSetter()),
                        parameters(scope, context, p.getReceiverParameterType(), List.of(value), false), List.of()));
            }
        }
    }

    /** The class's type parameters in scope, and a member's own: ids are unique only along one such chain. */
    private Map<Integer, KmTypeParameter> scope(List<KmTypeParameter> own) {
        Map<Integer, KmTypeParameter> scope = new HashMap<>(typeParameters);
        own.forEach(t -> scope.put(t.getId(), t));
        return scope;
    }

    private static List<KmType> types(List<KmValueParameter> parameters) {
        return parameters.stream().map(KmValueParameter::getType).toList();
    }

    /** Per JVM parameter Kotlin declares (context parameters, the receiver, the value parameters, a suspend function's continuation): whether it may be null. */
    private static List<Boolean> parameters(Map<Integer, KmTypeParameter> scope, List<KmType> context, KmType receiver,
            List<KmType> values, boolean suspend) {
        List<Boolean> nullable = new ArrayList<>();
        context.forEach(t -> nullable.add(isNullable(t, scope)));
        if (receiver != null) nullable.add(isNullable(receiver, scope));
        values.forEach(t -> nullable.add(isNullable(t, scope)));
        if (suspend) nullable.add(false);
        return nullable;
    }

    /** The positions (after {@code leading} JVM parameters) of the value parameters that declare a default value. */
    private static List<Integer> defaults(int leading, List<KmValueParameter> values) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (Attributes.getDeclaresDefaultValue(values.get(i))) at.add(leading + i);
        }
        return at;
    }

    /** {@code T?}, or a type parameter whose bounds all admit null (none is {@code Any?}); {@code T & Any} does not. */
    private static boolean isNullable(KmType type, Map<Integer, KmTypeParameter> scope) {
        if (Attributes.isNullable(type)) return true;
        if (Attributes.isDefinitelyNonNull(type) || !(type.getClassifier() instanceof KmClassifier.TypeParameter p)) return false;
        KmTypeParameter parameter = scope.get(p.getId());
        if (parameter == null) throw new IllegalStateException("type parameter #" + p.getId() + " is not in scope");
        return parameter.getUpperBounds().stream().allMatch(bound -> isNullable(bound, scope));
    }

    private static Class<?> load(Class<?> outer, String name) {
        try {
            return Class.forName(name, false, outer.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the companion " + name + " named by the metadata", e);
        }
    }

    /**
     * A declaration read from the metadata, to be keyed once all are read.
     *
     * @param nullable per JVM parameter Kotlin declares; the JVM may put more in front (an inner
     *     class's outer instance), never null
     * @param defaults the positions in {@code nullable} of the parameters that declare a default value
     */
    private record Pending(JvmMethodSignature signature, Visibility visibility, List<Boolean> nullable, List<Integer> defaults) {
        void declareExact(Map<String, Declaration> into) {
            if (signature == null) return; // nothing on the JVM: an annotation class's constructor, a property with no accessor
            MethodTypeDesc descriptor = MethodTypeDesc.ofDescriptor(signature.getDescriptor());
            into.putIfAbsent(signature.getName() + descriptor.descriptorString(), new Declaration(visibility == Visibility.PUBLIC, jvm(descriptor)));
        }

        /** The overloads {@code @JvmOverloads} would generate: without the last defaulted parameter, then the last two, and so on. */
        void declareOverloads(Map<String, Declaration> into) {
            if (signature == null) return;
            MethodTypeDesc descriptor = MethodTypeDesc.ofDescriptor(signature.getDescriptor());
            List<Boolean> jvm = jvm(descriptor);
            int leading = jvm.size() - nullable.size();
            for (int i = defaults.size() - 1; i >= 0; i--) {
                int at = leading + defaults.get(i);
                descriptor = descriptor.dropParameterTypes(at, at + 1);
                jvm.remove(at);
                into.putIfAbsent(signature.getName() + descriptor.descriptorString(), new Declaration(visibility == Visibility.PUBLIC, List.copyOf(jvm)));
            }
        }

        /** Whether each JVM parameter of {@code descriptor} may be null. */
        private List<Boolean> jvm(MethodTypeDesc descriptor) {
            int leading = descriptor.parameterCount() - nullable.size();
            if (leading < 0) throw new IllegalStateException(signature + " has fewer JVM parameters than Kotlin declares");
            List<Boolean> jvm = new ArrayList<>(Collections.nCopies(leading, false));
            jvm.addAll(nullable);
            return jvm;
        }
    }
}
