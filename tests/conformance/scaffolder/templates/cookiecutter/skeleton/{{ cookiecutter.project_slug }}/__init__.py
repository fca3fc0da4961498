{%- if cookiecutter.authors %}
__authors__ = {{ cookiecutter.authors | jsonify }}
{%- endif %}
__version__ = "0.1.0"
