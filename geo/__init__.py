"""Pure land analysis for Guangxi's high-tech zones. Imports neither streamlit nor folium."""
