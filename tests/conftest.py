"""Settings for every layer's tests.

Hypothesis's timing checks (a 200 ms deadline per example, the "input generation is slow" health check) are timed
tests in disguise: on a loaded two-core CI machine a first draw took 1.2 s and failed a test of the clinic file whose
inputs are tiny. Speed lives in bench/; here Hypothesis only looks for wrong answers.
"""

from hypothesis import HealthCheck, settings

settings.register_profile("aftercare", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("aftercare")
