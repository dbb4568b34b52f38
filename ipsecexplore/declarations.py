"""Every C structure ipsecexplore reads or writes, declared once, in C member order.

Transcribed from the structure definitions in the SDK 10.0.26100 / WDK 10.0.22621 headers as recorded in the
project spec (``tests/spec/layouts.md``, which was checked against MSVC-ABI compilers). Only names, C types,
nesting, bit widths, array lengths, NDIS versions and revision definitions are written here; offsets, sizes,
padding and per-revision ``Header.Size`` values are computed by :mod:`ipsecexplore.layouts` and checked against
the spec and against gcc by the test-suite.
"""

from .cdecl import Field, Revision, Struct, Union, declare

# fmt: off
declare(Struct("NDIS_OBJECT_HEADER", [
    Field("Type", "UCHAR", domain="NDIS_OBJECT_TYPE"),
    Field("Revision", "UCHAR", domain="REVISION"),
    Field("Size", "USHORT", domain="NDIS_SIZEOF"),
], ndis="6.0", header="shared/ndis/objectheader.h (SDK 10.0.26100)"))

declare(Struct("NDIS_TCP_IP_CHECKSUM_OFFLOAD", [
    Field("IPv4Transmit", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("IpOptionsSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("UdpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("IpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
    Field("IPv4Receive", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("IpOptionsSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("UdpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("IpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
    Field("IPv6Transmit", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("IpExtensionHeadersSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("UdpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
    Field("IPv6Receive", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("IpExtensionHeadersSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("UdpChecksum", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_TCP_LARGE_SEND_OFFLOAD_V1", [
    Field("IPv4", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("MaxOffLoadSize", "ULONG"),
        Field("MinSegmentCount", "ULONG"),
        Field("TcpOptions", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("IpOptions", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_IPSEC_OFFLOAD_V1", [
    Field("Supported", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("AhEspCombined", "ULONG"),
        Field("TransportTunnelCombined", "ULONG"),
        Field("IPv4Options", "ULONG"),
        Field("Flags", "ULONG", domain="IPSEC_V1_UDPESP_ENCAPTYPE"),
    ])),
    Field("IPv4AH", Struct(None, [
        Field("Md5", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Sha_1", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Transport", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Tunnel", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Send", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Receive", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
    Field("IPv4ESP", Struct(None, [
        Field("Des", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Reserved", "ULONG", bits=2),
        Field("TripleDes", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("NullEsp", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Transport", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Tunnel", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Send", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Receive", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_TCP_LARGE_SEND_OFFLOAD_V2", [
    Field("IPv4", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("MaxOffLoadSize", "ULONG"),
        Field("MinSegmentCount", "ULONG"),
    ])),
    Field("IPv6", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("MaxOffLoadSize", "ULONG"),
        Field("MinSegmentCount", "ULONG"),
        Field("IpExtensionHeadersSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_IPSEC_OFFLOAD_V2", [
    Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
    Field("IPv6Supported", "BOOLEAN"),
    Field("IPv4Options", "BOOLEAN"),
    Field("IPv6NonIPsecExtensionHeaders", "BOOLEAN"),
    Field("Ah", "BOOLEAN"),
    Field("Esp", "BOOLEAN"),
    Field("AhEspCombined", "BOOLEAN"),
    Field("Transport", "BOOLEAN"),
    Field("Tunnel", "BOOLEAN"),
    Field("TransportTunnelCombined", "BOOLEAN"),
    Field("LsoSupported", "BOOLEAN"),
    Field("ExtendedSequenceNumbers", "BOOLEAN"),
    Field("UdpEsp", "ULONG", domain="IPSEC_OFFLOAD_V2_UDP_ESP"),
    Field("AuthenticationAlgorithms", "ULONG", domain="IPSEC_OFFLOAD_V2_AUTHENTICATION"),
    Field("EncryptionAlgorithms", "ULONG", domain="IPSEC_OFFLOAD_V2_ENCRYPTION"),
    Field("SaOffloadCapacity", "ULONG"),
], ndis="6.1", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_TCP_RECV_SEG_COALESCE_OFFLOAD", [
    Field("IPv4", Struct(None, [
        Field("Enabled", "BOOLEAN"),
    ])),
    Field("IPv6", Struct(None, [
        Field("Enabled", "BOOLEAN"),
    ])),
], ndis="6.30", header="shared/ntddndis.h (SDK 10.0.26100)", revisions=[
        Revision(1, through="IPv6.Enabled", ndis="6.30", revision_constant="NDIS_TCP_RECV_SEG_COALESC_OFFLOAD_REVISION_1", size_constant="NDIS_SIZEOF_TCP_RECV_SEG_COALESC_OFFLOAD_REVISION_1"),
    ]))

declare(Struct("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD", [
    Field("TransmitChecksumOffloadSupported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("ReceiveChecksumOffloadSupported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("LsoV2Supported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("RssSupported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("VmqSupported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("UsoSupported", "ULONG", bits=4, ndis="6.85", domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("Reserved", "ULONG", bits=8, ndis="6.85", note="before NDIS 6.85 bits 20..31 are unnamed (must be zero)"),
    Field("MaxHeaderSizeSupported", "ULONG"),
], ndis="6.30", header="shared/ntddndis.h (SDK 10.0.26100)", revisions=[
        Revision(1, through="MaxHeaderSizeSupported", ndis="6.30", size_constant="NDIS_SIZEOF_ENCAPSULATED_PACKET_TASK_OFFLOAD_REVISION_1"),
    ]))

declare(Struct("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_V2", [
    Field("TransmitChecksumOffloadSupported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("ReceiveChecksumOffloadSupported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("LsoV2Supported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("RssSupported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("VmqSupported", "ULONG", bits=4, domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("UsoSupported", "ULONG", bits=4, ndis="6.85", domain="NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD"),
    Field("Reserved", "ULONG", bits=8, ndis="6.85", note="before NDIS 6.85 declared as Reserved:12 (bits 20..31)"),
    Field("MaxHeaderSizeSupported", "ULONG"),
    Field("EncapsulationProtocolInfo", Union("ENCAPSULATION_PROTOCOL_INFO", [
        Field("VxlanInfo", Struct(None, [
            Field("VxlanUDPPortNumber", "USHORT"),
            Field("VxlanUDPPortNumberConfigurable", "USHORT", bits=1),
        ])),
        Field("Value", "ULONG"),
    ])),
    Field("Reserved1", "ULONG"),
    Field("Reserved2", "ULONG"),
], ndis="6.50", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_RFC6877_464XLAT_OFFLOAD", [
    Field("XlatOffload", "NDIS_RFC6877_464XLAT_OFFLOAD_OPTIONS", enum=True, domain="NDIS_RFC6877_464XLAT_OFFLOAD_OPTIONS"),
    Field("Flags", "ULONG"),
], ndis="6.70", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_UDP_SEGMENTATION_OFFLOAD", [
    Field("IPv4", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("MaxOffLoadSize", "ULONG"),
        Field("MinSegmentCount", "ULONG", bits=6, note="Win10 1903/1909-era headers declared a full ULONG here; mask to 6 bits"),
        Field("SubMssFinalSegmentSupported", "ULONG", bits=1, ndis="6.84"),
        Field("Reserved", "ULONG", bits=25, note="Reserved:26 before NDIS 6.84"),
    ])),
    Field("IPv6", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("MaxOffLoadSize", "ULONG"),
        Field("MinSegmentCount", "ULONG", bits=6, note="Win10 1903/1909-era headers declared a full ULONG here; mask to 6 bits"),
        Field("SubMssFinalSegmentSupported", "ULONG", bits=1, ndis="6.84"),
        Field("Reserved1", "ULONG", bits=25, note="Reserved1:26 before NDIS 6.84"),
        Field("IpExtensionHeadersSupported", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Reserved2", "ULONG", bits=30),
    ])),
], ndis="6.83", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_UDP_RSC_OFFLOAD", [
    Field("Enabled", "BOOLEAN"),
], ndis="6.89", header="shared/ndis/nbluro.h (SDK 10.0.26100)"))

declare(Struct("NDIS_OFFLOAD", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("Checksum", "NDIS_TCP_IP_CHECKSUM_OFFLOAD"),
    Field("LsoV1", "NDIS_TCP_LARGE_SEND_OFFLOAD_V1"),
    Field("IPsecV1", "NDIS_IPSEC_OFFLOAD_V1"),
    Field("LsoV2", "NDIS_TCP_LARGE_SEND_OFFLOAD_V2"),
    Field("Flags", "ULONG", domain="NDIS_OFFLOAD_FLAGS"),
    Field("IPsecV2", "NDIS_IPSEC_OFFLOAD_V2", ndis="6.1"),
    Field("Rsc", "NDIS_TCP_RECV_SEG_COALESCE_OFFLOAD", ndis="6.30"),
    Field("EncapsulatedPacketTaskOffloadGre", "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD", ndis="6.30"),
    Field("EncapsulatedPacketTaskOffloadVxlan", "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_V2", ndis="6.50"),
    Field("EncapsulationTypes", "UCHAR", ndis="6.50", domain="NDIS_ENCAPSULATION_TYPE"),
    Field("Rfc6877Xlat", "NDIS_RFC6877_464XLAT_OFFLOAD", ndis="6.70"),
    Field("UdpSegmentation", "NDIS_UDP_SEGMENTATION_OFFLOAD", ndis="6.83"),
    Field("UdpRsc", "NDIS_UDP_RSC_OFFLOAD", ndis="6.89"),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)", object_type="NDIS_OBJECT_TYPE_OFFLOAD", named_later={
    # tests/spec/layouts.md §2: bits 20..31 were named UsoSupported/Reserved in NDIS 6.85 (revision 7), no size change.
    "EncapsulatedPacketTaskOffloadGre.UsoSupported": 7, "EncapsulatedPacketTaskOffloadGre.Reserved": 7,
    "EncapsulatedPacketTaskOffloadVxlan.UsoSupported": 7, "EncapsulatedPacketTaskOffloadVxlan.Reserved": 7,
}, revisions=[
        Revision(1, through="Flags", ndis="6.0", windows="Vista RTM", revision_constant="NDIS_OFFLOAD_REVISION_1", size_constant="NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_1"),
        Revision(2, through="IPsecV2", ndis="6.1", windows="Vista SP1 / Server 2008", revision_constant="NDIS_OFFLOAD_REVISION_2", size_constant="NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2"),
        Revision(3, through="EncapsulatedPacketTaskOffloadGre", ndis="6.30", windows="Windows 8 / Server 2012", revision_constant="NDIS_OFFLOAD_REVISION_3", size_constant="NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_3"),
        Revision(4, through="EncapsulationTypes", ndis="6.50", windows="Windows 10 1507", revision_constant="NDIS_OFFLOAD_REVISION_4", size_constant="NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_4"),
        Revision(5, through="Rfc6877Xlat", ndis="6.70", windows="Windows 10 1703", revision_constant="NDIS_OFFLOAD_REVISION_5", size_constant="NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_5"),
        Revision(6, through="UdpSegmentation", ndis="6.83", windows="Windows 10 1903", revision_constant="NDIS_OFFLOAD_REVISION_6", size_constant="NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_6"),
        Revision(7, through="UdpSegmentation", ndis="6.85", windows="Windows 10 \"iron\" / Server 2022", revision_constant="NDIS_OFFLOAD_REVISION_7", size_constant="NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_7"),
        Revision(8, through="UdpRsc", ndis="6.89", windows="Windows 11 \"gallium\" (24H2)", revision_constant="NDIS_OFFLOAD_REVISION_8", size_constant="NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_8"),
    ]))

declare(Struct("NDIS_OFFLOAD_PARAMETERS", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("IPv4Checksum", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("TCPIPv4Checksum", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("UDPIPv4Checksum", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("TCPIPv6Checksum", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("UDPIPv6Checksum", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("LsoV1", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("IPsecV1", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("LsoV2IPv4", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("LsoV2IPv6", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("TcpConnectionIPv4", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("TcpConnectionIPv6", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("Flags", "ULONG", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("IPsecV2", "UCHAR", ndis="6.1", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("IPsecV2IPv4", "UCHAR", ndis="6.1", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("RscIPv4", "UCHAR", ndis="6.30", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("RscIPv6", "UCHAR", ndis="6.30", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    Field("EncapsulatedPacketTaskOffload", "UCHAR", ndis="6.30", domain="NDIS_OFFLOAD_SET"),
    Field("EncapsulationTypes", "UCHAR", ndis="6.30", domain="NDIS_ENCAPSULATION_TYPE"),
    Field("EncapsulationProtocolParameters", Union("ENCAPSULATION_PROTOCOL_PARAMETERS", [
        Field("VxlanParameters", Struct(None, [
            Field("VxlanUDPPortNumber", "USHORT"),
        ])),
        Field("Value", "ULONG"),
    ], ndis="6.50")),
    Field("UdpSegmentation", Struct(None, [
        Field("IPv4", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
        Field("IPv6", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    ], ndis="6.83")),
    Field("UdpRsc", Struct(None, [
        Field("Enabled", "UCHAR", domain="NDIS_OFFLOAD_PARAMETERS_VALUE"),
    ], ndis="6.89")),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)", object_type="NDIS_OBJECT_TYPE_DEFAULT", revisions=[
        Revision(1, through="Flags", ndis="6.0", revision_constant="NDIS_OFFLOAD_PARAMETERS_REVISION_1", size_constant="NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_1"),
        Revision(2, through="IPsecV2IPv4", ndis="6.1", revision_constant="NDIS_OFFLOAD_PARAMETERS_REVISION_2", size_constant="NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_2"),
        Revision(3, through="EncapsulationTypes", ndis="6.30", revision_constant="NDIS_OFFLOAD_PARAMETERS_REVISION_3", size_constant="NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_3"),
        Revision(4, through="EncapsulationProtocolParameters", ndis="6.50", revision_constant="NDIS_OFFLOAD_PARAMETERS_REVISION_4", size_constant="NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_4"),
        Revision(5, through="UdpSegmentation", ndis="6.83", revision_constant="NDIS_OFFLOAD_PARAMETERS_REVISION_5", size_constant="NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_5"),
        Revision(6, through="UdpRsc", ndis="6.89", revision_constant="NDIS_OFFLOAD_PARAMETERS_REVISION_6", size_constant="NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_6"),
    ]))

declare(Struct("NDIS_TCP_CONNECTION_OFFLOAD", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
    Field("SupportIPv4", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    Field("SupportIPv6", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    Field("SupportIPv6ExtensionHeaders", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    Field("SupportSack", "ULONG", bits=2, domain="NDIS_OFFLOAD_SUPPORT"),
    Field("CongestionAlgorithm", "ULONG", bits=4, ndis="6.1"),
    Field("TcpConnectionOffloadCapacity", "ULONG"),
    Field("Flags", "ULONG"),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)", object_type="NDIS_OBJECT_TYPE_DEFAULT", named_later={
    "CongestionAlgorithm": 2,  # tests/spec/layouts.md §3.3: revision 2 only names bits 8..11
}, revisions=[
        Revision(1, through="Flags", ndis="6.0", revision_constant="NDIS_TCP_CONNECTION_OFFLOAD_REVISION_1", size_constant="NDIS_SIZEOF_TCP_CONNECTION_OFFLOAD_REVISION_1"),
        Revision(2, through="Flags", ndis="6.1", revision_constant="NDIS_TCP_CONNECTION_OFFLOAD_REVISION_2", size_constant="NDIS_SIZEOF_TCP_CONNECTION_OFFLOAD_REVISION_2"),
    ]))

declare(Struct("NDIS_OFFLOAD_ENCAPSULATION", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("IPv4", Struct(None, [
        Field("Enabled", "ULONG", domain="NDIS_OFFLOAD_SET"),
        Field("EncapsulationType", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("HeaderSize", "ULONG"),
    ])),
    Field("IPv6", Struct(None, [
        Field("Enabled", "ULONG", domain="NDIS_OFFLOAD_SET"),
        Field("EncapsulationType", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("HeaderSize", "ULONG"),
    ])),
], ndis="6.0", header="km/ndis/encapsulationconfig.h (WDK 10.0.22621)", object_type="NDIS_OBJECT_TYPE_OFFLOAD_ENCAPSULATION", revisions=[
        Revision(1, through="IPv6.HeaderSize", ndis="6.0", revision_constant="NDIS_OFFLOAD_ENCAPSULATION_REVISION_1", size_constant="NDIS_SIZEOF_OFFLOAD_ENCAPSULATION_REVISION_1"),
    ]))

declare(Struct("NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("DefaultOffloadConfiguration", "PNDIS_OFFLOAD", pointer=True),
    Field("HardwareOffloadCapabilities", "PNDIS_OFFLOAD", pointer=True),
    Field("DefaultTcpConnectionOffloadConfiguration", "PNDIS_TCP_CONNECTION_OFFLOAD", pointer=True),
    Field("TcpConnectionOffloadHardwareCapabilities", "PNDIS_TCP_CONNECTION_OFFLOAD", pointer=True),
], ndis="6.0", header="km/ndis.h (WDK 10.0.22621)", object_type="NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES", revisions=[
        Revision(1, through="TcpConnectionOffloadHardwareCapabilities", ndis="6.0", revision_constant="NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1", size_constant="NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1"),
    ]))

declare(Struct("NDIS_STATUS_INDICATION", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("SourceHandle", "NDIS_HANDLE", pointer=True),
    Field("PortNumber", "NDIS_PORT_NUMBER"),
    Field("StatusCode", "NDIS_STATUS", domain=("NDIS_STATUS_CHIMNEY", "NDIS_STATUS_INDICATION_CODE")),
    Field("Flags", "ULONG"),
    Field("DestinationHandle", "NDIS_HANDLE", pointer=True),
    Field("RequestId", "PVOID", pointer=True),
    Field("StatusBuffer", "PVOID", pointer=True),
    Field("StatusBufferSize", "ULONG"),
    Field("Guid", "GUID"),
    Field("NdisReserved", "PVOID", count=4),
], ndis="6.0", header="km/ndis.h (WDK 10.0.22621)", object_type="NDIS_OBJECT_TYPE_STATUS_INDICATION", revisions=[
        Revision(1, through="NdisReserved", ndis="6.0", revision_constant="NDIS_STATUS_INDICATION_REVISION_1", size_constant="NDIS_SIZEOF_STATUS_INDICATION_REVISION_1"),
    ]))

declare(Struct("IPSEC_OFFLOAD_V2_ALGORITHM_INFO", [
    Field("Identifier", "ULONG"),
    Field("KeyLength", "ULONG"),
    Field("KeyOffsetBytes", "ULONG"),
    Field("AdditionalInfo", "ULONG"),
], ndis="6.1", header="km/ndis.h (WDK 10.0.22621)"))

declare(Struct("IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION", [
    Field("Flags", "ULONG", domain="IPSEC_OFFLOAD_V2_SA_FLAGS"),
    Field("Operation", "IPSEC_OFFLOAD_V2_OPERATION", enum=True, domain="IPSEC_OFFLOAD_V2_OPERATION"),
    Field("Spi", "IPSEC_OFFLOAD_V2_SPI_TYPE"),
    Field("AuthenticationAlgorithm", "IPSEC_OFFLOAD_V2_ALGORITHM_INFO",
          domains={"Identifier": "IPSEC_OFFLOAD_V2_AUTHENTICATION"}),
    Field("EncryptionAlgorithm", "IPSEC_OFFLOAD_V2_ALGORITHM_INFO",
          domains={"Identifier": "IPSEC_OFFLOAD_V2_ENCRYPTION"}),
    Field("SequenceNumberHighOrder", "ULONG"),
], ndis="6.1", header="km/ndis.h (WDK 10.0.22621)"))

declare(Struct("IPSEC_OFFLOAD_V2_ADD_SA", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("Next", "PIPSEC_OFFLOAD_V2_ADD_SA", pointer=True),
    Field("NumExtHdrs", "ULONG", domain="IPSEC_OFFLOAD_V2_LIMITS"),
    Field("Flags", "ULONG", domain="IPSEC_OFFLOAD_V2_ADD_SA_FLAGS"),
    Union(None, [
        Field("IPv4Endpoints", Struct(None, [
            Field("SrcAddr", "IPAddr"),
            Field("DestAddr", "IPAddr"),
        ])),
        Field("IPv6Endpoints", Struct(None, [
            Field("SrcAddr", "UCHAR", count=16),
            Field("DestAddr", "UCHAR", count=16),
        ])),
    ]),
    Field("OffloadHandle", "NDIS_HANDLE", pointer=True),
    Field("UdpEspEncapsulation", "ULONG", domain="IPSEC_OFFLOAD_V2_UDP_ESP"),
    Field("SecAssoc", "IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION", count=2),
    Field("KeyLength", "ULONG"),
    Field("KeyData", "UCHAR", count=1),
], ndis="6.1", header="km/ndis.h (WDK 10.0.22621)", object_type="NDIS_OBJECT_TYPE_DEFAULT", revisions=[
        Revision(1, through="KeyData", ndis="6.1", revision_constant="NDIS_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1", size_constant="NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1"),
    ]))

declare(Struct("IPSEC_OFFLOAD_V2_ADD_SA_EX", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("NumExtHdrs", "ULONG", domain="IPSEC_OFFLOAD_V2_LIMITS"),
    Field("Flags", "ULONG", domain="IPSEC_OFFLOAD_V2_ADD_SA_FLAGS"),
    Union(None, [
        Field("IPv4Endpoints", Struct(None, [
            Field("SrcAddr", "IPAddr"),
            Field("DestAddr", "IPAddr"),
        ])),
        Field("IPv6Endpoints", Struct(None, [
            Field("SrcAddr", "UCHAR", count=16),
            Field("DestAddr", "UCHAR", count=16),
        ])),
    ]),
    Field("OffloadHandle", "NDIS_HANDLE", pointer=True),
    Field("UdpEspEncapsulation", "ULONG", domain="IPSEC_OFFLOAD_V2_UDP_ESP"),
    Field("SecAssoc", "IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION", count=2),
    Field("KeyLength", "ULONG"),
    Field("KeyOffset", "ULONG"),
    Field("SourceSwitchPortId", "NDIS_SWITCH_PORT_ID"),
    Field("VlanId", "USHORT"),
], ndis="6.30", header="km/ndis.h (WDK 10.0.22621)", object_type="NDIS_OBJECT_TYPE_DEFAULT", revisions=[
        Revision(1, through="VlanId", ndis="6.30", revision_constant="NDIS_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1", size_constant="NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1"),
    ]))

declare(Struct("IPSEC_OFFLOAD_V2_DELETE_SA", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("Next", "PIPSEC_OFFLOAD_V2_DELETE_SA", pointer=True),
    Field("OffloadHandle", "NDIS_HANDLE", pointer=True),
], ndis="6.1", header="km/ndis.h (WDK 10.0.22621)", object_type="NDIS_OBJECT_TYPE_DEFAULT", revisions=[
        Revision(1, through="OffloadHandle", ndis="6.1", revision_constant="NDIS_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1", size_constant="NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1"),
    ]))

declare(Struct("IPSEC_OFFLOAD_V2_UPDATE_SA", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("OffloadHandle", "NDIS_HANDLE", pointer=True),
    Field("Operation", "IPSEC_OFFLOAD_V2_OPERATION", enum=True, domain="IPSEC_OFFLOAD_V2_OPERATION"),
    Field("Spi", "IPSEC_OFFLOAD_V2_SPI_TYPE"),
    Field("SequenceNumberHighOrder", "ULONG"),
], ndis="6.1", header="km/ndis.h (WDK 10.0.22621)", object_type="NDIS_OBJECT_TYPE_DEFAULT", revisions=[
        Revision(1, through="SequenceNumberHighOrder", ndis="6.1", revision_constant="NDIS_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1", size_constant="NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1"),
    ]))

declare(Struct("NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO", [
    Union(None, [
        Field("Transmit", Struct(None, [
            Field("OffloadHandle", "PVOID", pointer=True),
        ])),
        Field("Receive", Struct(None, [
            Field("SaDeleteReq", "ULONG", bits=1),
            Field("CryptoDone", "ULONG", bits=1),
            Field("NextCryptoDone", "ULONG", bits=1),
            Field("Reserved", "ULONG", bits=13),
            Field("CryptoStatus", "ULONG", bits=16, domain="CRYPTO_STATUS"),
        ])),
    ]),
], ndis="6.1", header="km/ndis.h (WDK 10.0.22621)"))

declare(Struct("NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO", [
    Union(None, [
        Field("Transmit", Struct(None, [
            Field("NextHeader", "ULONG", bits=8),
            Field("PadLength", "ULONG", bits=8),
            Field("AhHeaderOffset", "ULONG", bits=8),
            Field("EspHeaderOffset", "ULONG", bits=8),
        ])),
        Field("Receive", Struct(None, [
            Field("NextHeader", "ULONG", bits=8),
            Field("PadLength", "ULONG", bits=8),
            Field("HeaderInfoSet", "ULONG", bits=1),
        ])),
    ]),
], ndis="6.1", header="km/ndis.h (WDK 10.0.22621)"))

declare(Struct("NDIS_WMI_TCP_IP_CHECKSUM_OFFLOAD", [
    Field("IPv4Transmit", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("IpOptionsSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("UdpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("IpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
    Field("IPv4Receive", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("IpOptionsSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("UdpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("IpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
    Field("IPv6Transmit", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("IpExtensionHeadersSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("UdpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
    Field("IPv6Receive", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("IpExtensionHeadersSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("UdpChecksum", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_WMI_TCP_LARGE_SEND_OFFLOAD_V1", [
    Field("IPv4", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("MaxOffLoadSize", "ULONG"),
        Field("MinSegmentCount", "ULONG"),
        Field("TcpOptions", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("IpOptions", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_WMI_IPSEC_OFFLOAD_V1", [
    Field("Supported", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("AhEspCombined", "ULONG"),
        Field("TransportTunnelCombined", "ULONG"),
        Field("IPv4Options", "ULONG"),
        Field("Flags", "ULONG", domain="IPSEC_V1_UDPESP_ENCAPTYPE"),
    ])),
    Field("IPv4AH", Struct(None, [
        Field("Md5", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Sha_1", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Transport", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Tunnel", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Send", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Receive", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
    Field("IPv4ESP", Struct(None, [
        Field("Des", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Reserved", "ULONG"),
        Field("TripleDes", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("NullEsp", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Transport", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Tunnel", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Send", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("Receive", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_WMI_TCP_LARGE_SEND_OFFLOAD_V2", [
    Field("IPv4", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("MaxOffLoadSize", "ULONG"),
        Field("MinSegmentCount", "ULONG"),
    ])),
    Field("IPv6", Struct(None, [
        Field("Encapsulation", "ULONG", domain="NDIS_ENCAPSULATION"),
        Field("MaxOffLoadSize", "ULONG"),
        Field("MinSegmentCount", "ULONG"),
        Field("IpExtensionHeadersSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
        Field("TcpOptionsSupported", "ULONG", domain="NDIS_OFFLOAD_SUPPORT"),
    ])),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)"))

declare(Struct("NDIS_WMI_OFFLOAD", [
    Field("Header", "NDIS_OBJECT_HEADER"),
    Field("Checksum", "NDIS_WMI_TCP_IP_CHECKSUM_OFFLOAD"),
    Field("LsoV1", "NDIS_WMI_TCP_LARGE_SEND_OFFLOAD_V1"),
    Field("IPsecV1", "NDIS_WMI_IPSEC_OFFLOAD_V1"),
    Field("LsoV2", "NDIS_WMI_TCP_LARGE_SEND_OFFLOAD_V2"),
    Field("Flags", "ULONG"),
    Field("IPsecV2", "NDIS_IPSEC_OFFLOAD_V2", ndis="6.1"),
    Field("Rsc", "NDIS_TCP_RECV_SEG_COALESCE_OFFLOAD", ndis="6.30"),
    Field("EncapsulatedPacketTaskOffloadGre", "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD", ndis="6.30"),
    Field("UdpSegmentation", "NDIS_UDP_SEGMENTATION_OFFLOAD", ndis="6.83"),
    Field("UdpRsc", "NDIS_UDP_RSC_OFFLOAD", ndis="6.89"),
], ndis="6.0", header="shared/ntddndis.h (SDK 10.0.26100)", named_later={
    # As recorded in tests/spec/layouts.json for the WMI copy (its revision 4 is the first after NDIS 6.85's naming).
    "EncapsulatedPacketTaskOffloadGre.UsoSupported": 4, "EncapsulatedPacketTaskOffloadGre.Reserved": 4,
}, revisions=[
        Revision(1, through="Flags", ndis="6.0", size_constant="NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_1"),
        Revision(2, through="IPsecV2", ndis="6.1", size_constant="NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_2"),
        Revision(3, through="EncapsulatedPacketTaskOffloadGre", ndis="6.30", size_constant="NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_3"),
        Revision(4, through="UdpSegmentation", ndis="6.83", size_constant="NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_4"),
        Revision(5, through="UdpRsc", ndis="6.89", size_constant="NDIS_SIZEOF_NDIS_WMI_OFFLOAD_REVISION_5"),
    ]))

# fmt: on
