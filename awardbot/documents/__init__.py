"""Documents and pictures: the 公示, the winners' picture, certificates, charts, the 申报表 PDF.

Adapters to file formats, beside the workflow: each renderer is a plain synchronous
function from frozen values (``model.py``, ``charts_model.py``) to bytes, meant to run in
a worker process. Chinese is drawn with the fonts the project installs (``fonts.py``);
:func:`~awardbot.documents.fonts.check_fonts` is the start-up check.
"""
