"""The layer classes that `keras.layers` exports in Keras 3.15 (aliases resolved) and
the registry does not support yet.

A spec that names one of these is told the type is known but not supported yet,
rather than unknown. A layer that gains a rule leaves this list (a test holds the two
apart).
"""

KERAS_LAYERS = (
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
    "AugMix",
    "CategoryEncoding",
    "Discretization",
    "EinsumDense",
    "Equalization",
    "FlaxLayer",
    "GRUCell",
    "HashedCrossing",
    "Hashing",
    "InputLayer",
    "IntegerLookup",
    "JaxLayer",
    "LSTMCell",
    "MaxNumBoundingBoxes",
    "MelSpectrogram",
    "RandAugment",
    "RandomColorJitter",
    "ReversibleEmbedding",
    "STFTSpectrogram",
    "SimpleRNNCell",
    "SpectralNormalization",
    "StackedRNNCells",
    "StringLookup",
    "TFSMLayer",
    "TextVectorization",
    "TorchModuleWrapper",
)
