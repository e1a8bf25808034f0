package dev.conduit.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one padded field layout all rings share, Agrona-style in three groups: padding, the
 * producer's fields, padding, the consumer's fields, padding. Each group sits on its own cache
 * lines (the JVM lays a superclass's fields before a subclass's), so producers and consumers
 * writing their own index never invalidate each other's line, nor the read-mostly array
 * reference and mask in {@link RingBase}.
 */
abstract class RingPad0<E> extends RingBase<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    RingPad0(int capacity) {
        super(capacity);
    }
}

/** The producers' index and the limit up to which they may produce without re-reading the consumer. */
abstract class RingProducerFields<E> extends RingPad0<E> {
    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle PRODUCER_LIMIT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(RingProducerFields.class, "producerIndex", long.class);
            PRODUCER_LIMIT = lookup.findVarHandle(RingProducerFields.class, "producerLimit", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long producerIndex;
    private volatile long producerLimit;

    RingProducerFields(int capacity) {
        super(capacity);
    }

    @Override
    final long lvProducerIndex() {
        return (long) PRODUCER_INDEX.getAcquire(this);
    }

    final long lpProducerIndex() {
        return (long) PRODUCER_INDEX.get(this);
    }

    final void soProducerIndex(long value) {
        PRODUCER_INDEX.setRelease(this, value);
    }

    final boolean casProducerIndex(long expected, long value) {
        return PRODUCER_INDEX.compareAndSet(this, expected, value);
    }

    final long lvProducerLimit() {
        return (long) PRODUCER_LIMIT.getAcquire(this);
    }

    final long lpProducerLimit() {
        return (long) PRODUCER_LIMIT.get(this);
    }

    final void soProducerLimit(long value) {
        PRODUCER_LIMIT.setRelease(this, value);
    }

    final void spProducerLimit(long value) {
        PRODUCER_LIMIT.set(this, value);
    }
}

abstract class RingPad1<E> extends RingProducerFields<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    RingPad1(int capacity) {
        super(capacity);
    }
}

/** The consumers' index and the consumer's cached copy of the producer index. */
abstract class RingConsumerFields<E> extends RingPad1<E> {
    private static final VarHandle CONSUMER_INDEX;

    static {
        try {
            CONSUMER_INDEX = MethodHandles.lookup().findVarHandle(RingConsumerFields.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long consumerIndex;

    RingConsumerFields(int capacity) {
        super(capacity);
    }

    @Override
    final long lvConsumerIndex() {
        return (long) CONSUMER_INDEX.getAcquire(this);
    }

    final long lpConsumerIndex() {
        return (long) CONSUMER_INDEX.get(this);
    }

    final void soConsumerIndex(long value) {
        CONSUMER_INDEX.setRelease(this, value);
    }

    final boolean casConsumerIndex(long expected, long value) {
        return CONSUMER_INDEX.compareAndSet(this, expected, value);
    }
}

abstract class RingPad2<E> extends RingConsumerFields<E> {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    RingPad2(int capacity) {
        super(capacity);
    }
}
