package dev.conduit.net

import com.google.protobuf.MessageLite
import com.google.protobuf.Parser

/**
 * Turns the values of a remote channel into bytes and back. The node stores and forwards bytes
 * and never decodes them, so only the clients need the codec, and every client of one channel
 * must use the same one.
 *
 * [encode] runs on the sending thread before the value is handed to the channel (a failure
 * there fails that send and nothing is sent), once per send. A `select` send case's value is
 * encoded when the case is built; if the select has to wait, it is encoded again when the case
 * runs (on the client's network thread, with the channel's lock held): so [encode] must give the
 * same bytes for the same value and must not block. [decode] runs on the client's network
 * thread when a value arrives; it must not block either.
 *
 * See [Codecs] for bytes, UTF-8 strings and protobuf messages.
 */
public interface Codec<T> {
    /**
     * The bytes of [value]. Never blocks.
     *
     * @throws Exception any failure: the send fails with it and nothing is sent.
     */
    public fun encode(value: T): ByteArray

    /**
     * The value of [bytes], as [encode] made them. Never blocks.
     *
     * @throws Exception if [bytes] are not a value of this codec: see
     *   [RemoteClientOptions.onUndecodable] for what happens to such a value.
     */
    public fun decode(bytes: ByteArray): T
}

/** The codecs Conduit ships. */
public object Codecs {
    private val BYTES = object : Codec<ByteArray> {
        override fun encode(value: ByteArray): ByteArray = value
        override fun decode(bytes: ByteArray): ByteArray = bytes
        override fun toString(): String = "Codecs.bytes()"
    }

    private val UTF8 = object : Codec<String> {
        override fun encode(value: String): ByteArray = value.toByteArray(Charsets.UTF_8)
        override fun decode(bytes: ByteArray): String = String(bytes, Charsets.UTF_8)
        override fun toString(): String = "Codecs.utf8()"
    }

    /** Byte arrays as they are (the array is not copied: do not change it once sent). Never blocks. */
    @JvmStatic
    public fun bytes(): Codec<ByteArray> = BYTES

    /** Strings as UTF-8. Never blocks. */
    @JvmStatic
    public fun utf8(): Codec<String> = UTF8

    /**
     * Protobuf messages of one type, read with [parser] (`MyMessage.parser()`). Never blocks.
     *
     * @throws NullPointerException if [parser] is null.
     */
    @JvmStatic
    public fun <T : MessageLite> protobuf(parser: Parser<T>): Codec<T> {
        java.util.Objects.requireNonNull(parser, "parser")
        return object : Codec<T> {
            override fun encode(value: T): ByteArray = value.toByteArray()
            override fun decode(bytes: ByteArray): T = parser.parseFrom(bytes)
            override fun toString(): String = "Codecs.protobuf($parser)"
        }
    }
}
