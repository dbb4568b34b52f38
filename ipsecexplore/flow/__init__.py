"""A simulated miniport and NDIS: initialization, OIDs, status indications, SA management, timeline.

>>> from ipsecexplore.flow import Simulation, run_scenario
>>> sim = Simulation(hardware, keywords={"*IPsecOffloadV2": "3"}, ndis="6.30")   # doctest: +SKIP
>>> sim.initialize(); sim.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", 256)        # doctest: +SKIP
>>> sim.timeline                                                               # doctest: +SKIP
"""

from .events import Event, Timeline
from .scenario import OPS, Scenario, ScenarioResult, load_scenario, run_scenario
from .simulation import FAULTS, QUERY_OIDS, SaEntry, Simulation, offload_bytes

__all__ = ["Event", "Timeline", "Simulation", "SaEntry", "FAULTS", "QUERY_OIDS", "Scenario", "ScenarioResult",
           "load_scenario", "run_scenario", "OPS", "offload_bytes"]
