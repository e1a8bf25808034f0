package dev.conduit.java.chan;

import dev.conduit.chan.Chan;

/**
 * A Go channel for Java: both {@link SendChannel} and {@link ReceiveChannel}. Made by
 * {@link Chans#make(int)}; {@link #asChan()} is the very same channel for Kotlin code, so Java
 * and Kotlin parts of one program share channels and select over them together.
 *
 * <pre>{@code
 * Channel<String> ch = Chans.make(0);
 * Go.go(() -> ch.send("ping"));
 * String v = ch.receive();
 * }</pre>
 *
 * @param <T> the element type; {@code null} elements are not allowed
 */
public interface Channel<T> extends SendChannel<T>, ReceiveChannel<T> {
    /** The same channel as a Kotlin {@link Chan}. */
    @Override
    Chan<T> asChan();
}
