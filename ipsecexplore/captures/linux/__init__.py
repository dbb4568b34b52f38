"""Linux captures (tests/spec/capture-formats.md §8): ``ethtool -k`` text, ``ethtool --json -k``, ``ethtool -i``,
``ip xfrm state``/``policy``, terminal transcripts of those commands and sosreport folders and archives.

- :mod:`.ethtool`, :mod:`.xfrm` — the output shapes; :mod:`.commands` — command lines and transcripts;
- :mod:`.sos` — sosreport file names and tar archives; :mod:`.reader` — files into records;
- :mod:`.merge` — one row per interface and view once every file is read.

Linux rows carry ``fmt`` starting ``linux-``; the fleet frame shows them with ``os`` = ``linux``.
"""

from .merge import finish
from .reader import FORMAT_PREFIX, import_linux, is_linux_format, looks_like_linux
from .sos import is_tar_name, sos_unused, tar_members

__all__ = ["finish", "import_linux", "is_linux_format", "looks_like_linux", "FORMAT_PREFIX", "is_tar_name",
           "sos_unused", "tar_members"]
