"""corresptei: published archival correspondence to TEI P5.

Data flows one way: ingest (text -> model) -> encode (model -> TEI) ->
validate (TEI + compiled schema) -> render (TEI -> outputs).  The ODD compiler
(``corresptei.odd``) stands beside the pipeline.
"""

__version__ = "0.1.0"

#: The TEI P5 release the project's ODD is pinned to.
TEI_VERSION = "4.10.0"
