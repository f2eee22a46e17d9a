/** Counters of one RTP session; plain numbers so the hot path only increments. */
export interface RtpStats {
  packetsReceived: number;
  packetsSent: number;
  /** Datagrams from an address/port other than the negotiated far end (no media hijack). */
  wrongSource: number;
  /** Datagrams that are not well-formed RTP, or are too big. */
  malformed: number;
  /** RTP with a payload type we did not negotiate. */
  unknownPayloadType: number;
  /** Times the far end's SSRC changed (tolerated: the jitter buffer re-anchors). */
  ssrcChanges: number;
  /** Packets not sent because the socket's send queue was backed up (the host is overloaded). */
  sendQueueDrops: number;
  /** Socket errors (e.g. ICMP port unreachable on the connected socket). */
  socketErrors: number;
  /** Telephone-events dropped because their SSRC or sequence does not continue the far end's stream (spoofing). */
  foreignDtmf: number;
}

/** A zeroed stats object. */
export function createRtpStats(): RtpStats {
  return {
    packetsReceived: 0,
    packetsSent: 0,
    wrongSource: 0,
    malformed: 0,
    unknownPayloadType: 0,
    ssrcChanges: 0,
    sendQueueDrops: 0,
    socketErrors: 0,
    foreignDtmf: 0,
  };
}
