"""The single source of the package version (read by hatchling and by provenance), and the name
of the distribution that ships the ``scoring`` package.

The distribution is ``cppcc-scoring``: ``scoring`` on PyPI is an unrelated package, so the import
package, the command and the entry-point group keep the short name while what pip installs does not.
"""

__version__ = "0.1.0"
DISTRIBUTION = "cppcc-scoring"
