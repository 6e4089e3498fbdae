package io.pepperpy.network.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;

/**
 * Writes frames and installs the Netty decoder that cuts inbound bytes into frames. Decoders fail fast: a frame
 * longer than the maximum fails as soon as the length is known, without buffering it.
 */
final class FrameCodec {

	static final String DECODER_NAME = "pepperpyFrameDecoder";

	private static final byte[] LINE_FEED = { '\n' };

	private final TcpConfig config;

	private final int maxFrameLength;

	private final byte[] delimiter;

	FrameCodec(TcpConfig config) {
		this.config = config;
		this.maxFrameLength = config.effectiveMaxFrameLength();
		this.delimiter = (config.framing() == Framing.LINE) ? LINE_FEED : config.delimiterBytes();
	}

	int maxFrameLength() {
		return this.maxFrameLength;
	}

	/**
	 * Add the frame decoder to a new connection's pipeline (after TLS, before Reactor Netty's bridge).
	 * @param connection the connection
	 */
	void install(Connection connection) {
		ChannelHandler decoder = decoder();
		if (decoder != null) {
			connection.addHandlerLast(DECODER_NAME, decoder);
		}
	}

	private @Nullable ChannelHandler decoder() {
		return switch (this.config.framing()) {
			case LINE -> new LineBasedFrameDecoder(this.maxFrameLength, true, true);
			case DELIMITER -> new DelimiterBasedFrameDecoder(this.maxFrameLength, true, true,
					Unpooled.wrappedBuffer(this.delimiter));
			case LENGTH_PREFIXED -> {
				int prefix = this.config.lengthFieldLength();
				yield new LengthFieldBasedFrameDecoder(java.nio.ByteOrder.BIG_ENDIAN, this.maxFrameLength + prefix, 0,
						prefix, 0, prefix, true);
			}
			case RAW -> null;
		};
	}

	/**
	 * Check that a frame may be sent.
	 * @param payload the frame
	 * @throws TcpErrors.FrameTooLargeException if it is larger than the maximum
	 */
	void check(byte[] payload) throws TcpErrors.FrameTooLargeException {
		if (payload.length > this.maxFrameLength) {
			throw new TcpErrors.FrameTooLargeException("the request frame of " + payload.length
					+ " bytes is larger than max-frame-length " + this.maxFrameLength + " bytes; nothing was sent");
		}
	}

	/**
	 * Encode one frame: length prefix, payload and delimiter as the framing says.
	 * @param allocator the channel's allocator
	 * @param payload the frame, already checked
	 * @return a new buffer that the caller must write or release
	 */
	ByteBuf encode(ByteBufAllocator allocator, byte[] payload) {
		Framing framing = this.config.framing();
		int extra = switch (framing) {
			case LINE, DELIMITER -> this.delimiter.length;
			case LENGTH_PREFIXED -> this.config.lengthFieldLength();
			case RAW -> 0;
		};
		ByteBuf buffer = allocator.buffer(payload.length + extra);
		if (framing == Framing.LENGTH_PREFIXED) {
			switch (this.config.lengthFieldLength()) {
				case 1 -> buffer.writeByte(payload.length);
				case 2 -> buffer.writeShort(payload.length);
				default -> buffer.writeInt(payload.length);
			}
		}
		buffer.writeBytes(payload);
		if (framing == Framing.LINE || framing == Framing.DELIMITER) {
			buffer.writeBytes(this.delimiter);
		}
		return buffer;
	}

}
